// A struct embeds sync.Mutex, so its Lock is called through the compiler's method stub (gccgo's
// main.store.Lock..stub, at the struct's declaration line). No site is ever the stub: the blocked goroutine's stack
// and the holder's lock site are the lines that called Lock.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.\(\*store\)\.get +.*mutex_embedded_stub\.go:30$
// GCCGO-EXPECT: ^  held by goroutine [0-9]+ for [0-9.]+s, locked at main\.\(\*store\)\.hold +.*mutex_embedded_stub\.go:25$
// REJECT: \.\.stub|mutex_embedded_stub\.go:19(\s|$)
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
package main

import (
	"sync"
	"time"
)

type store struct {
	sync.Mutex
	n int
}

func (s *store) hold() {
	s.Lock()
	time.Sleep(time.Hour)
}

func (s *store) get() int {
	s.Lock()
	defer s.Unlock()
	return s.n
}

func main() {
	s := &store{}
	go s.hold()
	time.Sleep(10 * time.Millisecond)
	go s.get()
	time.Sleep(30 * time.Millisecond)
}
