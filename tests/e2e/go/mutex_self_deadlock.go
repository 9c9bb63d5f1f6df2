// A method calls a helper that takes the mutex its caller already holds: the goroutine waits for itself.
// Reported at once as a self-deadlock with both lock sites, and the blocked goroutine names itself as holder.
// OPTIONS: grace_ms=100
// EXIT: 66
// GCCGO-EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?, 1 misuse\)$
// GC-EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.\(\*account\)\.total +.*mutex_self_deadlock\.go:29( |$)
// GCCGO-EXPECT: ^  held by this same goroutine for [0-9]+\.[0-9]{2}s \(self-deadlock\), locked at main\.\(\*account\)\.deposit +.*mutex_self_deadlock\.go:35$
// GCCGO-EXPECT: ^\[self-deadlock on mutex 0x[0-9a-f]+ \(sync\.Mutex\.Lock\)\]$
// GCCGO-EXPECT: ^  at: +main\.\(\*account\)\.total +.*mutex_self_deadlock\.go:29 +\(goroutine [0-9]+\)$
// GCCGO-EXPECT: ^  locked at: main\.\(\*account\)\.deposit +.*mutex_self_deadlock\.go:35 +\(goroutine [0-9]+\)$
// GCCGO-EXPECT: ^leakcheck: 1 leaked, 1 misuse; exit status 66$
// GC-EXPECT: ^    main\.\(\*account\)\.deposit +.*mutex_self_deadlock\.go:37( |$)
// GC-EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
package main

import (
	"sync"
	"time"
)

type account struct {
	mu      sync.Mutex
	balance int
}

func (a *account) total() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *account) deposit(n int) {
	a.mu.Lock()
	a.balance += n
	if a.total() > 100 {
		a.balance = 100
	}
	a.mu.Unlock()
}

func main() {
	a := &account{}
	go a.deposit(5)
	time.Sleep(20 * time.Millisecond)
}
