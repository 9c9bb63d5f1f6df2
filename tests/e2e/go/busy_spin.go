// A goroutine polls a channel with select/default instead of blocking on it, and a loop drops events with a
// non-blocking send nobody drains: both spin 100000 non-blocking selects without ever blocking, reported as busy
// spins at their select lines, with the dropped sends counted.
// BUILD: gccgo    (gc builds: non-blocking selects are not hooked, they are the hot path; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 2 misuse\)$
// EXPECT: ^\[busy spin \(100000 non-blocking selects without blocking\)\]$
// EXPECT: ^  at: main\.poll +.*busy_spin\.go:23 +\(goroutine [0-9]+\)$
// EXPECT: ^\[busy spin \(100000 non-blocking selects, 99984 sends dropped\)\]$
// EXPECT: ^  at: main\.emit +.*busy_spin\.go:38 +\(goroutine 1\)$
// EXPECT: ^leakcheck: 0 leaked, 2 misuse; exit status 66$
// STDOUT: ^dropped: 199984$
package main

import (
	"fmt"
	"time"
)

// poll waits for a result by spinning on a select with default instead of blocking on the channel.
func poll(results chan int, done chan bool) {
	for tries := 0; tries < 300000; tries++ {
		select {
		case v := <-results:
			fmt.Println("got", v)
			done <- true
			return
		default:
		}
	}
	done <- false
}

// emit drops events nobody reads: the select hides the back-pressure.
func emit(events chan int, n int) int {
	dropped := 0
	for i := 0; i < n; i++ {
		select {
		case events <- i:
		default:
			dropped++
		}
	}
	return dropped
}

func main() {
	results := make(chan int)
	done := make(chan bool)
	go poll(results, done)
	fmt.Println("found:", <-done)
	events := make(chan int, 16)
	fmt.Println("dropped:", emit(events, 200000))
	time.Sleep(time.Millisecond)
}
