// A worker pool on one contended sync.Mutex: one worker goroutine per P (GOMAXPROCS as the machine gives it)
// takes jobs from a shared counter; each job is a short critical section (claim the next index, fold it into
// a shared table) and some private work outside the lock (its result summed per worker), as a pool sharing
// one guarded queue or map does. Waiters mostly spin, so the length of the critical section is the cost.
// Prints a checksum (the same with and without the shim) and ns_per_op per job over all workers.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// The iteration count, from the first argument. Also warms gccgo's symbol tables: its runtime builds them
// (libbacktrace reading the binary's debug info, ~100 ms) on first use, which otherwise can land in the timed
// loop of any run, plain or under the shim.
func iterations(def int) int {
	pcs := make([]uintptr, 4)
	runtime.CallersFrames(pcs[:runtime.Callers(0, pcs)]).Next()
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil && n > 0 {
			return n
		}
	}
	return def
}

var workers = runtime.GOMAXPROCS(0)

type pool struct {
	mu    sync.Mutex
	next  int
	table [64]uint64
	sum   uint64
}

var rounds = 16

// work is the private part of a job: rounds of mixing, outside the lock.
func work(x uint64) uint64 {
	for k := 0; k < rounds; k++ {
		x ^= x >> 13
		x *= 0xff51afd7ed558ccd
	}
	return x
}

func run(p *pool, n int) {
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			var mine uint64
			for {
				p.mu.Lock()
				i := p.next
				if i >= n {
					p.mu.Unlock()
					break
				}
				p.next++
				p.table[i&63] += uint64(i)
				p.mu.Unlock()
				mine += work(uint64(i))
			}
			p.mu.Lock()
			p.sum += mine
			p.mu.Unlock()
		}()
	}
	wg.Wait()
}

func main() {
	n := iterations(2000000)
	if len(os.Args) > 2 {
		rounds, _ = strconv.Atoi(os.Args[2])
	}
	warm := &pool{}
	run(warm, n/20)
	p := &pool{}
	start := time.Now()
	run(p, n)
	el := time.Since(start)
	sum := p.sum
	for _, v := range p.table {
		sum += v
	}
	fmt.Printf("checksum %d\n", sum)
	fmt.Printf("ns_per_op %.1f\n", float64(el.Nanoseconds())/float64(n))
}
