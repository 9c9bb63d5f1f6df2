// Short-lived sessions, each with its own mutex: the first thousand are locked inside the registry's lock, the
// next thousand, made after a collection, lock the registry inside their own. No session is ever locked in both
// orders, but the collector gives the new sessions the old ones' memory, so the same addresses come back in the
// other order. A mutex on the heap is another lock once a collection may have freed it: a quiet run (earlier
// builds reported about a thousand lock-order inversions, exit 66).
// BUILD: gccgo    (gc builds: lock order needs every Lock, whose fast path the compiler inlines; see README)
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^2000 sessions$
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type session struct {
	mu    sync.Mutex
	state [48]byte
}

var registry struct {
	sync.Mutex
	n int
}

func open() {
	s := new(session)
	registry.Lock()
	s.mu.Lock()
	s.state[0] = 1
	registry.n++
	s.mu.Unlock()
	registry.Unlock()
}

func closeOne() {
	s := new(session)
	s.mu.Lock()
	registry.Lock()
	registry.n++
	registry.Unlock()
	s.mu.Unlock()
}

func main() {
	for i := 0; i < 1000; i++ {
		open()
	}
	runtime.GC()
	runtime.GC()
	for i := 0; i < 1000; i++ {
		closeOne()
	}
	fmt.Printf("%d sessions\n", registry.n)
}
