// A reader takes the catalog then the prices read locks; later an updater takes prices then catalog for
// writing. The run does not hang, but a read lock under a read lock is an order too (the other's writer waits
// for it): the inversion is reported with both acquisition sites.
// BUILD: gccgo    (gc builds: lock order needs every Lock, whose fast path the compiler inlines; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+, goroutines\)\]$
// EXPECT: ^  acquired A then B at: main\.update +.*rwmutex_lock_order\.go:34 +\(goroutine [0-9]+\)$
// EXPECT: ^  acquired B then A at: main\.quote +.*rwmutex_lock_order\.go:25 +\(goroutine [0-9]+\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^price 11$
package main

import (
	"fmt"
	"sync"
)

var catalog, prices sync.RWMutex
var price = 10

func quote(wg *sync.WaitGroup) {
	defer wg.Done()
	catalog.RLock()
	prices.RLock()
	_ = price
	prices.RUnlock()
	catalog.RUnlock()
}

func update(wg *sync.WaitGroup) {
	defer wg.Done()
	prices.Lock()
	catalog.Lock()
	price++
	catalog.Unlock()
	prices.Unlock()
}

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	go quote(&wg)
	wg.Wait()
	wg.Add(1)
	go update(&wg)
	wg.Wait()
	fmt.Println("price", price)
}
