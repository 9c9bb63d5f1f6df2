package leakytests

import "testing"

// TestClean closes the jobs channel and drains the results: its goroutine ends.
func TestClean(t *testing.T) {
	jobs := make(chan int)
	results := Start(jobs)
	go func() {
		jobs <- 1
		close(jobs)
	}()
	for r := range results {
		if r != 2 {
			t.Fatalf("got %d", r)
		}
	}
}

// TestLeaky reads one result and returns: the consumer goroutine stays blocked on jobs forever.
func TestLeaky(t *testing.T) {
	jobs := make(chan int, 1)
	results := Start(jobs)
	jobs <- 21
	if r := <-results; r != 42 {
		t.Fatalf("got %d", r)
	}
}
