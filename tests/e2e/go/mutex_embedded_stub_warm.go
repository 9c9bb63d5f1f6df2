// mutex_embedded_stub with the stub's call into Lock used before, by the holder too (so that its Lock takes the
// wrappers' common case): every Lock through the stub returns to the same place in it, whoever called the
// stub, so that case must not take that place for a site. The holder's lock site is still the line that
// called Lock.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.\(\*store\)\.get +.*mutex_embedded_stub_warm\.go:38$
// GCCGO-EXPECT: ^  held by goroutine [0-9]+ for [0-9.]+s, locked at main\.\(\*store\)\.hold +.*mutex_embedded_stub_warm\.go:27$
// REJECT: \.\.stub|mutex_embedded_stub_warm\.go:20(\s|$)
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
	s.bump()
	s.Lock()
	time.Sleep(time.Hour)
}

func (s *store) bump() {
	s.Lock()
	s.n++
	s.Unlock()
}

func (s *store) get() int {
	s.Lock()
	defer s.Unlock()
	return s.n
}

func main() {
	s := &store{}
	for i := 0; i < 10; i++ {
		s.bump()
	}
	go s.hold()
	time.Sleep(10 * time.Millisecond)
	go s.get()
	time.Sleep(30 * time.Millisecond)
}
