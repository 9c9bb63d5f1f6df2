// A consumer that parks again and again at one receive reached through one caller, then at the same receive
// through another caller with the same frame layout (the receive at the same stack depth as before): the stack
// shown for the last receive, where the consumer is left for good, names the second caller.
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.next +.*blocked_site_moves\.go:27$
// EXPECT: ^    main\.fromIdle +.*blocked_site_moves\.go:37$
// REJECT: fromBusy
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^received 40$
package main

import (
	"fmt"
	"time"
)

const busy = 40

var feed = make(chan int)
var got int

//go:noinline
func next() int {
	return <-feed
}

//go:noinline
func fromBusy() {
	got += next()
}

//go:noinline
func fromIdle() {
	got += next()
}

func consumer() {
	for i := 0; i < busy; i++ {
		fromBusy()
	}
	fromIdle() // nobody sends again
}

func main() {
	go consumer()
	for i := 0; i < busy; i++ {
		feed <- 1
		time.Sleep(time.Millisecond) // the consumer parks before each send
	}
	time.Sleep(20 * time.Millisecond)
	fmt.Println("received", got)
}
