// A time.AfterFunc callback polls a channel with select/default: its goroutine is started by the timer code on
// the scheduler's own stack, and the busy spin is still reported at the program's select line, with the
// callback's callers, never at the runtime's C main.
// BUILD: gccgo    (gc builds: non-blocking selects are not hooked, they are the hot path; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[busy spin \(100000 non-blocking selects without blocking\)\]$
// EXPECT: ^  at: main\.poll +.*busy_spin_timer\.go:23 +\(goroutine [0-9]+\)$
// EXPECT: ^      main\.main\.func1 +.*busy_spin_timer\.go:34$
// REJECT: go-main\.c|\?\?
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^polled 300000$
package main

import (
	"fmt"
	"time"
)

func poll(ch chan int) int {
	n := 0
	for n < 300000 {
		select {
		case <-ch:
		default:
		}
		n++
	}
	return n
}

func main() {
	done := make(chan int)
	time.AfterFunc(time.Millisecond, func() { done <- poll(make(chan int)) })
	fmt.Println("polled", <-done)
}
