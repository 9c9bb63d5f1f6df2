// A correct program that leans on sync.RWMutex and sync.Mutex from many short-lived goroutines (waves of them,
// so that goroutine structures are reused): a cache embeds its RWMutex (its Lock and RLock reached through the
// compiler's method stubs), readers read-lock it, writers write-lock it and, inside, a stats Mutex, always in
// that order; RWMutex's own Lock and Unlock take its inner Mutex, at the RWMutex's address, which is its own
// business. Nothing is reported: no lock-order inversion, no relock, no holder left behind.
// EXIT: 0
// STDOUT: ^reads 32000, writes 8000, entries 64, stats 8000$
// REJECT: leakcheck
package main

import (
	"fmt"
	"sync"
)

type cache struct {
	sync.RWMutex
	m map[int]int
}

var stats struct {
	mu     sync.Mutex
	writes int
}

func (c *cache) get(k int) (int, bool) {
	c.RLock()
	defer c.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *cache) put(k, v int) {
	c.Lock()
	c.m[k] = v
	stats.mu.Lock()
	stats.writes++
	stats.mu.Unlock()
	c.Unlock()
}

func main() {
	c := &cache{m: map[int]int{}}
	var mu sync.Mutex
	nr, nw := 0, 0
	for wave := 0; wave < 10; wave++ {
		var wg sync.WaitGroup
		for g := 0; g < 20; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				r, w := 0, 0
				for i := 0; i < 200; i++ {
					k := (g*200 + i) % 64
					if i%5 == 0 {
						c.put(k, i)
						w++
					} else {
						c.get(k)
						r++
					}
				}
				mu.Lock()
				nr += r
				nw += w
				mu.Unlock()
			}(g)
		}
		wg.Wait()
	}
	c.RLock()
	n := len(c.m)
	c.RUnlock()
	stats.mu.Lock()
	fmt.Printf("reads %d, writes %d, entries %d, stats %d\n", nr, nw, n, stats.writes)
	stats.mu.Unlock()
}
