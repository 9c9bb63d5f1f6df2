// Correct locking under churn: six goroutines, each with a helper, take six mutexes and six RWMutexes in one
// order (nested pairs, read pairs, write locks, TryLock, out-of-order unlocks) and hand a locked mutex to their
// helper, which unlocks it (legal in Go) while the others keep locking. The goroutine waits for the unlock, so
// it never holds a lock it handed over. Nothing is reported, nothing crashes. A race: a library that lets a hand-
// off unlock change the holder's lockset under it failed 9 (false lock-order inversions) or 10 (SIGSEGV) of 10
// runs.
// EXIT: 0
// STDOUT: ^ok$
// REJECT: leakcheck
// REJECT: fatal error
package main

import (
	"fmt"
	"math/rand"
	"runtime"
	"sync"
)

const NL = 6

var mus [NL]sync.Mutex
var rws [NL]sync.RWMutex

func worker(id int, iters int, handoff chan int, done chan bool, wg *sync.WaitGroup) {
	defer wg.Done()
	r := rand.New(rand.NewSource(int64(id)))
	for i := 0; i < iters; i++ {
		switch r.Intn(6) {
		case 0: // ordered nesting
			a := r.Intn(NL - 1)
			b := a + 1 + r.Intn(NL-1-a)
			mus[a].Lock()
			mus[b].Lock()
			mus[b].Unlock()
			mus[a].Unlock()
		case 1: // hand-off: lock here, someone else unlocks
			k := r.Intn(NL)
			mus[k].Lock()
			handoff <- k
			<-done
		case 2: // read locks, nested in order
			a := r.Intn(NL - 1)
			rws[a].RLock()
			rws[a+1].RLock()
			rws[a+1].RUnlock()
			rws[a].RUnlock()
		case 3: // write lock
			k := r.Intn(NL)
			rws[k].Lock()
			rws[k].Unlock()
		case 4: // trylock
			k := r.Intn(NL)
			if mus[k].TryLock() {
				mus[k].Unlock()
			}
		case 5: // out of order unlock, same order of locking
			a := r.Intn(NL - 1)
			mus[a].Lock()
			mus[a+1].Lock()
			mus[a].Unlock()
			mus[a+1].Unlock()
		}
		if i%64 == 0 {
			runtime.Gosched()
		}
	}
}

func main() {
	var wg, uw sync.WaitGroup
	for w := 0; w < 6; w++ {
		ho, done := make(chan int), make(chan bool)
		uw.Add(1)
		go func() {
			defer uw.Done()
			for k := range ho {
				mus[k].Unlock()
				done <- true
			}
		}()
		wg.Add(1)
		go func(w int) {
			worker(w, 100000, ho, done, &wg)
			close(ho)
		}(w)
	}
	wg.Wait()
	uw.Wait()
	fmt.Println("ok")
}
