// Correct locking: a goroutine locks a mutex and hands it to another goroutine, which unlocks it (legal in Go),
// while two more keep locking the same mutex (so one is often inside Lock, spinning, when the unlock
// comes); the first one then takes a second mutex alone, and at the end main nests them the other way round.
// The first goroutine never holds both: nothing is reported, and the program runs as it does without the shim
// (a hold recorded for the spinning goroutine or kept after the unlock would make a lock-order inversion, and
// another goroutine's lockset changed under its owner crashed the program). A race: a build with either fault
// fails about one run in three; tests/unit/test_lockset.c checks the rule itself.
// EXIT: 0
// STDOUT: ^ok$
// CPUS: 2
// REJECT: leakcheck
// REJECT: fatal error
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

var m, n sync.Mutex
var stopped int32

func main() {
	runtime.GOMAXPROCS(2)
	handoff, done := make(chan struct{}), make(chan struct{})
	go func() { // the unlocker
		for range handoff {
			m.Unlock()
			done <- struct{}{}
		}
	}()
	var wg sync.WaitGroup
	wg.Add(3)
	for k := 0; k < 2; k++ {
		go func() { // the contenders
			defer wg.Done()
			for atomic.LoadInt32(&stopped) == 0 {
				m.Lock()
				m.Unlock()
			}
		}()
	}
	go func() { // the first goroutine
		defer wg.Done()
		for i := 0; i < 300000; i++ {
			m.Lock()
			handoff <- struct{}{}
			<-done
			n.Lock()
			n.Unlock()
		}
		atomic.StoreInt32(&stopped, 1)
	}()
	wg.Wait()
	close(handoff)
	n.Lock()
	m.Lock()
	m.Unlock()
	n.Unlock()
	fmt.Println("ok")
}
