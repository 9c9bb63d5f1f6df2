// Ten workers range over a jobs channel that the producer never closes: they all wait at the range line.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(10 leaked in 1 groups?\)$
// EXPECT: ^\[10 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.worker +.*range_workers\.go:24( |$)
// EXPECT: ^  created by main\.startWorkers +.*range_workers\.go:33 +\(goroutine 1\)
// EXPECT: ^  channel made at main\.main +.*range_workers\.go:38( |$)
// EXPECT: ^leakcheck: 10 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^processed 3 jobs$
package main

import (
	"fmt"
	"sync"
	"time"
)

var mu sync.Mutex
var processed int

func worker(jobs chan int) {
	for j := range jobs {
		mu.Lock()
		processed += j - j + 1
		mu.Unlock()
	}
}

func startWorkers(n int, jobs chan int) {
	for i := 0; i < n; i++ {
		go worker(jobs)
	}
}

func main() {
	jobs := make(chan int)
	startWorkers(10, jobs)
	for j := 0; j < 3; j++ {
		jobs <- j
	}
	time.Sleep(30 * time.Millisecond)
	mu.Lock()
	fmt.Printf("processed %d jobs\n", processed)
	mu.Unlock()
	// forgot: close(jobs)
}
