// Goroutine spawn + exit: start goroutines that only signal a WaitGroup, in batches of 1000, and wait for each
// batch. ns_per_op is per goroutine (creation, scheduling, exit).
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

func batch(k int) {
	var wg sync.WaitGroup
	wg.Add(k)
	for i := 0; i < k; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
}

func main() {
	n := iterations(200000)
	const per = 1000
	batch(per) // warm up
	start := time.Now()
	done := 0
	for done < n {
		k := per
		if n-done < k {
			k = n - done
		}
		batch(k)
		done += k
	}
	fmt.Printf("ns_per_op %.1f\n", float64(time.Since(start).Nanoseconds())/float64(n))
}
