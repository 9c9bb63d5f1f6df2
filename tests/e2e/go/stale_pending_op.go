// Workers whose last channel operation or select went through without parking, and who then block where no
// wrapper of a channel operation runs first: select {} (runtime.block) and reflect's Recv (libgo calls its
// chanrecv directly). The first kind must be shown in "select (no cases)" on no channel, the second at the
// Recv line: the operation left pending by the earlier call says nothing about either park. Three of each
// on one P: they resume on the thread that ran their earlier operation, whose cache of blocking sites (eight
// goroutines) still holds theirs. The loops' count is not known to the compiler, which would unroll them.
// ENV: GOMAXPROCS=1
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(6 leaked in 2 groups\)$
// EXPECT: ^\[3 goroutines blocked for [0-9.]+s in select \(no cases\)\]$
// EXPECT: ^    main\.selectThenForever +.*stale_pending_op\.go:32( |$)
// EXPECT: ^\[3 goroutines blocked for [0-9.]+s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\) and 2 other chans\]$
// EXPECT: ^    main\.recvThenReflect +.*stale_pending_op\.go:39( |$)
// REJECT: in select on chan
// REJECT: stale_pending_op\.go:(27|37)( |$)
// EXPECT: ^leakcheck: 6 leaked, 0 misuse; exit status 66$
package main

import (
	"os"
	"reflect"
	"time"
)

func selectThenForever(c chan int, quit chan bool, n int) {
	for i := 0; i < n; i++ {
		select { // the first parks, the second finds a value
		case <-c:
		case <-quit:
		}
	}
	select {}
}

func recvThenReflect(c chan int, never chan int, n int) {
	for i := 0; i < n; i++ {
		<-c // the first parks, the second finds a value
	}
	reflect.ValueOf(never).Recv()
}

func main() {
	var chans []chan int
	for i := 0; i < 3; i++ {
		a, b := make(chan int, 2), make(chan int, 2)
		go selectThenForever(a, make(chan bool), len(os.Args)+1)
		go recvThenReflect(b, make(chan int), len(os.Args)+1)
		chans = append(chans, a, b)
	}
	time.Sleep(30 * time.Millisecond)
	for _, c := range chans {
		c <- 1
		c <- 2
	}
	time.Sleep(30 * time.Millisecond)
}
