// runtime.Goexit ends a goroutine after running its deferred calls: it is not a leak, and neither is a
// goroutine that recovered from a panic and returned.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^cleanup ran 2 times$
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	cleanups := 0
	cleanup := func() { mu.Lock(); cleanups++; mu.Unlock() }
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer cleanup()
		runtime.Goexit()
	}()
	go func() {
		defer wg.Done()
		defer func() { recover(); cleanup() }()
		var m map[string]int
		m["x"] = 1
	}()
	wg.Wait()
	fmt.Printf("cleanup ran %d times\n", cleanups)
}
