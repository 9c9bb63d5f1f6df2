// Package leakytests is a small package whose tests leakcheck's go-test command runs: one test leaks a
// goroutine, the other cleans up after itself.
package leakytests

// Start runs a consumer goroutine over jobs and returns a channel that gets each job's result.
func Start(jobs chan int) chan int {
	results := make(chan int)
	go func() {
		for j := range jobs {
			results <- j * 2
		}
		close(results)
	}()
	return results
}
