// Fan-out with a WaitGroup, a mutex-protected map, an RWMutex for readers and a sync.Once: all goroutines
// finish before main returns.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^50 results, config loaded once$
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var rw sync.RWMutex
	var once sync.Once
	loads := 0
	config := map[string]int{}
	results := map[int]int{}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			once.Do(func() {
				rw.Lock()
				config["factor"] = 3
				loads++
				rw.Unlock()
			})
			rw.RLock()
			f := config["factor"]
			rw.RUnlock()
			mu.Lock()
			results[i] = i * f
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	fmt.Printf("%d results, config loaded once\n", len(results))
	if loads != 1 {
		fmt.Println("loaded", loads, "times")
	}
}
