// A worker pool: jobs channel closed by the producer, results collected until every worker has finished.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^processed 200 jobs, total 19900$
package main

import (
	"fmt"
	"sync"
)

func main() {
	jobs := make(chan int, 16)
	results := make(chan int, 16)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- j
			}
		}()
	}
	go func() {
		for j := 0; j < 200; j++ {
			jobs <- j
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	n, total := 0, 0
	for r := range results {
		n++
		total += r
	}
	fmt.Printf("processed %d jobs, total %d\n", n, total)
}
