// Buffered channel ping-pong: like go_unbuf but over channels of capacity 1, so a send completes into the
// buffer and only the receive side parks. ns_per_op is per round trip.
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
	ping, pong := make(chan int, 1), make(chan int, 1)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	run := func(k int) {
		for i := 0; i < k; i++ {
			ping <- i
			<-pong
		}
	}
	run(n / 20)
	start := time.Now()
	run(n)
	el := time.Since(start)
	close(ping)
	<-pong
	fmt.Printf("ns_per_op %.1f\n", float64(el.Nanoseconds())/float64(n))
}
