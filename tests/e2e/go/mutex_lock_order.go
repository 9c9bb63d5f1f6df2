// One goroutine takes accounts then audit, a later one audit (read) then accounts. The run does not hang, but
// the order is inverted: reported as a lock-order inversion with both acquisition sites.
// BUILD: gccgo    (gc builds: lock order needs every Lock, whose fast path the compiler inlines; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+, goroutines\)\]$
// EXPECT: ^  acquired A then B at: main\.\(\*bank\)\.report +.*mutex_lock_order\.go:36 +\(goroutine [0-9]+\)$
// EXPECT: ^  acquired B then A at: main\.\(\*bank\)\.transfer +.*mutex_lock_order\.go:27 +\(goroutine [0-9]+\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^n = 1$
package main

import (
	"fmt"
	"sync"
)

type bank struct {
	accounts sync.Mutex
	audit    sync.RWMutex
	n        int
}

func (b *bank) transfer(wg *sync.WaitGroup) {
	defer wg.Done()
	b.accounts.Lock()
	b.audit.Lock()
	b.n++
	b.audit.Unlock()
	b.accounts.Unlock()
}

func (b *bank) report(wg *sync.WaitGroup) {
	defer wg.Done()
	b.audit.RLock()
	b.accounts.Lock()
	fmt.Println("n =", b.n)
	b.accounts.Unlock()
	b.audit.RUnlock()
}

func main() {
	b := &bank{}
	var wg sync.WaitGroup
	wg.Add(1)
	go b.transfer(&wg)
	wg.Wait()
	wg.Add(1)
	go b.report(&wg)
	wg.Wait()
}
