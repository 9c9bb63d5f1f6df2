// A mutex handed over while its locker waits for it: main locks gate, starts a worker, and locks gate again,
// blocking until the worker (another goroutine, which Go allows) unlocks it. Go mutexes have no owner: no
// self-deadlock, not even from the deadlock check running while main waits for itself.
// OPTIONS: deadlock_check_ms=10
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^handed over 3$
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var gate sync.Mutex
	n := 0
	for i := 0; i < 3; i++ {
		gate.Lock()
		go func() {
			time.Sleep(40 * time.Millisecond)
			n++
			gate.Unlock()
		}()
		gate.Lock() // waits for the worker's Unlock
		gate.Unlock()
	}
	fmt.Println("handed over", n)
}
