// Select ping-pong: two goroutines bounce a value over unbuffered channels, each receiving through a
// two-case select (the value or a quit channel), the shape of most real Go event loops. ns_per_op is per
// round trip.
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

func main() {
	n := iterations(200000)
	ping, pong, quit, done := make(chan int), make(chan int), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case v := <-ping:
				pong <- v + 1
			case <-quit:
				return
			}
		}
	}()
	run := func(k int) {
		for i := 0; i < k; i++ {
			ping <- i
			select {
			case <-pong:
			case <-quit:
			}
		}
	}
	run(n / 20)
	start := time.Now()
	run(n)
	el := time.Since(start)
	close(quit)
	<-done
	fmt.Printf("ns_per_op %.1f\n", float64(el.Nanoseconds())/float64(n))
}
