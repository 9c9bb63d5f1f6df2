// Channel make+close: make a channel and close it, over and over, in one goroutine. The cost of the runtime's
// own makechan and closechan, and under the shim of its hooks on them (recording where each channel was made
// and closed). ns_per_op is per make+close pair.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
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

var sink chan int

//go:noinline
func makeClose(i int) {
	c := make(chan int, i&1)
	sink = c
	close(c)
}

func main() {
	n := iterations(2000000)
	for i := 0; i < n/20; i++ {
		makeClose(i)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		makeClose(i)
	}
	el := time.Since(start)
	fmt.Printf("ns_per_op %.1f\n", float64(el.Nanoseconds())/float64(n))
}
