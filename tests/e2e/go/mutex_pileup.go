// A handler takes the lock and then waits on a reply that never comes; every request after it piles up behind
// the lock: 20,000 goroutines in one group, and the one holding the lock, each named once. (A report over many
// goroutines waiting on one lock looks each waiter's holder up: that stays cheap however many there are.)
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(20001 leaked in 2 groups\)$
// EXPECT: ^\[20000 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9]+\.[0-9]{2}s\))? in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.\(\*store\)\.get +.*mutex_pileup\.go:36( |$)
// EXPECT: ^  created by main\.main +.*mutex_pileup\.go:48 +\(goroutine 1\)
// GCCGO-EXPECT: ^  held by goroutine [0-9]+ for [0-9]+\.[0-9]{2}s, locked at main\.\(\*store\)\.refresh +.*mutex_pileup\.go:29$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.\(\*store\)\.refresh +.*mutex_pileup\.go:30( |$)
// EXPECT: ^leakcheck: 20001 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 2 ^\[
package main

import (
	"sync"
	"time"
)

type store struct {
	mu    sync.Mutex
	reply chan int
	val   int
}

func (s *store) refresh() {
	s.mu.Lock()
	s.val = <-s.reply // the backend never answers, and the lock is still held
	s.mu.Unlock()
}

func (s *store) get(done *sync.WaitGroup) int {
	done.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.val
}

func main() {
	s := &store{reply: make(chan int)}
	go s.refresh()
	time.Sleep(20 * time.Millisecond)
	var started sync.WaitGroup
	started.Add(20000)
	for i := 0; i < 20000; i++ {
		go s.get(&started)
	}
	started.Wait()
	time.Sleep(50 * time.Millisecond)
}
