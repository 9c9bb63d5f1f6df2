// A generic worker pool ranging over a jobs channel nobody closes: after the last job the workers wait
// forever in the range. One group of 4, at the range line, with the pool's constructor as creator.
// BUILD: gc    (generics: gccgo-12 speaks Go 1.18 without type parameters)
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(4 leaked in 1 groups\)$
// EXPECT: ^\[4 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(buffered cap 8, never closed\)\]$
// EXPECT: ^    main\.\(\*Pool\[\.\.\.\]\)\.work +.*gc_generic_pool\.go:33( |$)
// EXPECT: ^  created by main\.NewPool\[\.\.\.\] +.*gc_generic_pool\.go:27 +\(goroutine 1\)$
// EXPECT: ^  channel made at main\.NewPool\[\.\.\.\] +.*gc_generic_pool\.go:25( |$)
// EXPECT: ^leakcheck: 4 leaked, 0 misuse; exit status 66$
// STDOUT: ^sum 55$
package main

import (
	"fmt"
	"sync"
)

type Pool[T any] struct {
	jobs chan T
	wg   sync.WaitGroup
}

func NewPool[T any](n int, do func(T)) *Pool[T] {
	p := &Pool[T]{jobs: make(chan T, 8)}
	for i := 0; i < n; i++ {
		go p.work(do)
	}
	return p
}

func (p *Pool[T]) work(do func(T)) {
	for j := range p.jobs {
		do(j)
		p.wg.Done()
	}
}

func (p *Pool[T]) Submit(j T) {
	p.wg.Add(1)
	p.jobs <- j
}

func main() {
	var mu sync.Mutex
	sum := 0
	p := NewPool(4, func(v int) { mu.Lock(); sum += v; mu.Unlock() })
	for i := 1; i <= 10; i++ {
		p.Submit(i)
	}
	p.wg.Wait() // all done, but nobody closes p.jobs
	fmt.Println("sum", sum)
}
