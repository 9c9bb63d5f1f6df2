// Two goroutines take users and orders in opposite orders and deadlock (main goes on and returns). Each blocked
// goroutine names the other as the holder of its mutex, with the lock site; the cycle and the lock-order
// inversion are reported too.
// OPTIONS: grace_ms=100
// EXIT: 66
// GCCGO-EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups, 1 misuse, 1 deadlocks\)$
// GCCGO-EXPECT: ^  held by goroutine [0-9]+ for [0-9]+\.[0-9]{2}s, locked at main\.purgeUser +.*mutex_abba_deadlock\.go:41$
// GCCGO-EXPECT: ^  held by goroutine [0-9]+ for [0-9]+\.[0-9]{2}s, locked at main\.addOrder +.*mutex_abba_deadlock\.go:32$
// GCCGO-EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+, goroutines\)\]$
// GCCGO-EXPECT: ^\[deadlock of 2 goroutines \(goroutines [0-9]+ -> [0-9]+ -> [0-9]+\)\]$
// GCCGO-EXPECT: ^  goroutine [0-9]+ blocked in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+$
// GCCGO-EXPECT: ^    held by goroutine [0-9]+ for [0-9]+\.[0-9]{2}s, locked at main\.addOrder +.*mutex_abba_deadlock\.go:32$
// GCCGO-EXPECT: ^leakcheck: 2 leaked, 1 misuse, 1 deadlocks; exit status 66$
// GC-EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// GC-EXPECT-COUNT: 2 ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// GC-EXPECT: ^    main\.addOrder +.*mutex_abba_deadlock\.go:35( |$)
// GC-EXPECT: ^    main\.purgeUser +.*mutex_abba_deadlock\.go:44( |$)
// GC-EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
package main

import (
	"sync"
	"time"
)

var (
	users  sync.Mutex
	orders sync.Mutex
)

func addOrder(ready *sync.WaitGroup) {
	users.Lock()
	ready.Done()
	time.Sleep(5 * time.Millisecond)
	orders.Lock()
	orders.Unlock()
	users.Unlock()
}

func purgeUser(ready *sync.WaitGroup) {
	orders.Lock()
	ready.Done()
	time.Sleep(5 * time.Millisecond)
	users.Lock()
	users.Unlock()
	orders.Unlock()
}

func main() {
	var ready sync.WaitGroup
	ready.Add(2)
	go addOrder(&ready)
	go purgeUser(&ready)
	ready.Wait()
	time.Sleep(30 * time.Millisecond)
}
