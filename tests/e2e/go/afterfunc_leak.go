// A time.AfterFunc callback blocks on a channel nobody sends on. Its goroutine is started by the timer code, not
// by a go statement of the program: it is shown created by time.goFunc, never by "??".
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.main\.func1 +.*afterfunc_leak\.go:21$
// EXPECT: ^  created by time\.goFunc +.*/time/sleep\.go:[0-9]+
// REJECT: created by \?\?|go-main\.c
// EXPECT: ^  channel made at main\.main +.*afterfunc_leak\.go:19$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
package main

import (
	"time"
)

func main() {
	block := make(chan int)
	time.AfterFunc(time.Millisecond, func() {
		<-block
	})
	time.Sleep(50 * time.Millisecond)
}
