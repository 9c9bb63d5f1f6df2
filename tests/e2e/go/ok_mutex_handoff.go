// Correct locking: a Cond-based queue (Wait unlocks and relocks the mutex inside libgo), an RWMutex, nested
// locks always in the same order, a mutex locked by one goroutine and unlocked by another (legal in Go), and
// TryLock. Nothing is reported.
// EXIT: 0
// REJECT: leakcheck
package main

import (
	"fmt"
	"sync"
)

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
	stats sync.RWMutex
	seen  int
}

func (q *queue) put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *queue) take() int {
	q.mu.Lock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.stats.Lock() // nested, always mu then stats
	q.seen++
	q.stats.Unlock()
	q.mu.Unlock()
	return v
}

func main() {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	var wg sync.WaitGroup
	sum := 0
	var sumMu sync.Mutex
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 250; k++ {
				v := q.take()
				sumMu.Lock()
				sum += v
				sumMu.Unlock()
			}
		}()
	}
	for i := 0; i < 1000; i++ {
		q.put(i)
	}
	wg.Wait()
	// a mutex handed over: locked here, unlocked by another goroutine (legal in Go)
	var gate sync.Mutex
	gate.Lock()
	done := make(chan struct{})
	go func() { gate.Unlock(); close(done) }()
	<-done
	gate.Lock()
	gate.Unlock()
	if gate.TryLock() {
		gate.Unlock()
	}
	q.stats.RLock()
	fmt.Println("sum", sum, "seen", q.seen)
	q.stats.RUnlock()
}
