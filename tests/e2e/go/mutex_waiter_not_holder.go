// A goroutine holding one lock waits for a mutex another goroutine holds, and its lock records were made
// before the holder's: the report names the goroutine holding the mutex, not the one waiting for it (on
// gccgo, where holders are known). A waiting Lock's record says it waits while the goroutine sleeps.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.waiter +.*mutex_waiter_not_holder\.go:29( |$)
// GCCGO-EXPECT: ^  held by goroutine [0-9]+ for [0-9]+\.[0-9]{2}s, locked at main\.holder +.*mutex_waiter_not_holder\.go:35$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.holder +.*mutex_waiter_not_holder\.go:37( |$)
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 2 ^\[
// REJECT: locked at main\.waiter
package main

import (
	"sync"
	"time"
)

var outer, mu sync.Mutex
var never = make(chan int)

func waiter(ready chan<- struct{}, start <-chan struct{}) {
	outer.Lock()
	ready <- struct{}{}
	<-start
	mu.Lock()
	mu.Unlock()
	outer.Unlock()
}

func holder(held chan<- struct{}) {
	mu.Lock()
	held <- struct{}{}
	<-never
	mu.Unlock()
}

func main() {
	ready, start, held := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go waiter(ready, start)
	<-ready
	go holder(held)
	<-held
	close(start)
	time.Sleep(50 * time.Millisecond)
}
