// Two goroutines deadlock on two mutexes taken in opposite orders while a third loops on time.Sleep forever and
// main waits for all three. The deadlock check finds the cycle although the sleeper keeps moving, and its report
// names only the stuck (main is never a leak): the sleeper is not "blocked in sleep" (it wakes by itself).
// BUILD: gccgo    (gc builds: the holder of a Go mutex needs every Lock, whose fast path the compiler inlines)
// OPTIONS: deadlock_check_ms=20
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups, 1 misuse, 1 deadlocks\)$
// EXPECT: ^\[deadlock of 2 goroutines \(goroutines [0-9]+ -> [0-9]+ -> [0-9]+\)\]$
// EXPECT-COUNT: 2 ^\[1 goroutine blocked for [0-9.]+s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.transfer +.*deadlock_check_sleeper\.go:26$
// REJECT: in sleep|main\.main\.func1
// EXPECT: ^leakcheck: 2 leaked, 1 misuse, 1 deadlocks; exit status 66$
package main

import (
	"sync"
	"time"
)

var a, b sync.Mutex

func transfer(first, second *sync.Mutex, wg *sync.WaitGroup) {
	defer wg.Done()
	first.Lock()
	time.Sleep(20 * time.Millisecond)
	second.Lock()
	second.Unlock()
	first.Unlock()
}

func main() {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		for {
			time.Sleep(2 * time.Millisecond)
		}
	}()
	go transfer(&a, &b, &wg)
	go transfer(&b, &a, &wg)
	wg.Wait()
}
