// The sender ignores ctx.Done(): it waits for work that never comes, so its deferred close(results) never runs
// and the receiver ranging over results waits forever. Both are reported: the receiver on results (never
// closed), and the sender's own state, blocked on the work channel.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.collect +.*ctx_sender_ignores\.go:34( |$)
// EXPECT: ^  channel made at main\.main +.*ctx_sender_ignores\.go:43( |$)
// EXPECT: ^    main\.send +.*ctx_sender_ignores\.go:27( |$)
// EXPECT: ^  created by main\.main +.*ctx_sender_ignores\.go:44 +\(goroutine 1\)$
// EXPECT: ^  created by main\.main +.*ctx_sender_ignores\.go:45 +\(goroutine 1\)$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// STDOUT: ^cancelled$
package main

import (
	"context"
	"fmt"
	"time"
)

// send should stop when ctx is done, but only waits for work.
func send(ctx context.Context, work chan int, results chan int) {
	defer close(results)
	for {
		w := <-work // never selects on ctx.Done()
		results <- w * 2
	}
}

func collect(results chan int, done chan bool) {
	sum := 0
	for r := range results {
		sum += r
	}
	done <- sum > 0
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	work := make(chan int)
	results := make(chan int)
	go send(ctx, work, results)
	go collect(results, make(chan bool, 1))
	time.Sleep(20 * time.Millisecond)
	cancel()
	fmt.Println("cancelled")
	time.Sleep(20 * time.Millisecond)
}
