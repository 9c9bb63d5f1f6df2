// A worker answers requests over unbuffered channels for 1.5 s, many thousand round trips that park it again
// and again at the same receive, then main stops asking and exits 0.3 s later: the worker is leaked, blocked
// in that receive since main's last request, not since its first one. gccgo: a park repeated at the same site
// reuses what the shim found there last time, its time included, only while that is fresh; gc: two readings
// of the same wait are one wait only if the goroutine did not run in between.
// OPTIONS: grace_ms=0
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for (0\.[2-9]|1\.[01])[0-9]s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.worker +.*pingpong_then_stuck\.go:25( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^answered$
package main

import (
	"fmt"
	"time"
)

var answered int

func worker(in <-chan int, out chan<- int) {
	for {
		v := <-in
		out <- v + 1
	}
}

func main() {
	in, out := make(chan int), make(chan int)
	go worker(in, out)
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); {
		in <- answered
		answered = <-out
	}
	fmt.Println("answered")
	time.Sleep(300 * time.Millisecond)
}
