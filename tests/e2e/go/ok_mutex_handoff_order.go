// A mutex handed to another goroutine to unlock is no lock order for the goroutine that locked it: main locks
// mu, starts a worker that unlocks it when done, and meanwhile takes other; elsewhere, other is taken before
// mu. Go allows it and nothing can deadlock (mu's unlock does not wait for main). Both sequences: the other
// order after the hand-offs, and before them. Nothing is reported. A library that counts a handed-over mutex
// as its locker's until the unlock reported a lock-order inversion (exit status 66) in 10 of 10 runs of each.
// EXIT: 0
// STDOUT: ^n = 203$
// REJECT: leakcheck
package main

import (
	"fmt"
	"sync"
)

var mu, other sync.Mutex
var n int

// Hand mu to a worker, which unlocks it once it is done; take other meanwhile.
func handOff(rounds int) {
	var wg sync.WaitGroup
	for i := 0; i < rounds; i++ {
		mu.Lock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++
			mu.Unlock()
		}()
		other.Lock()
		n++
		other.Unlock()
		wg.Wait()
	}
}

// The nesting the program does keep: other, then mu.
func nested() {
	other.Lock()
	mu.Lock()
	n++
	mu.Unlock()
	other.Unlock()
}

func main() {
	nested()
	handOff(50)
	nested()
	handOff(50)
	nested()
	fmt.Println("n =", n)
}
