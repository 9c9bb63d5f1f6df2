// A concurrent pipeline over 1M items: a generator, 4 parsing workers, 2 filtering workers and a sink that
// sums, joined by buffered channels and closed stage by stage with WaitGroups, the way a real Go program
// fans out and back in. Prints a checksum (the same with and without the shim),
// the wall time of the whole run (ms_wall) and per item (ns_per_op).
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

type item struct {
	id  int
	val uint64
}

// stage runs `workers` goroutines applying f to every item of in; out is closed once all of them are done.
func stage(workers int, in <-chan item, f func(item) (item, bool)) <-chan item {
	out := make(chan item, 128)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for it := range in {
				if r, ok := f(it); ok {
					out <- r
				}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

func run(n int) uint64 {
	src := make(chan item, 128)
	go func() {
		for i := 0; i < n; i++ {
			src <- item{id: i}
		}
		close(src)
	}()
	parsed := stage(4, src, func(it item) (item, bool) {
		x := uint64(it.id)*0x9e3779b97f4a7c15 + 1
		for k := 0; k < 8; k++ {
			x ^= x >> 13
			x *= 0xff51afd7ed558ccd
		}
		it.val = x
		return it, true
	})
	kept := stage(2, parsed, func(it item) (item, bool) { return it, it.val%4 != 0 })
	var sum uint64
	for it := range kept {
		sum += it.val & 0xffff
	}
	return sum
}

func main() {
	n := iterations(1000000)
	run(n / 50)
	start := time.Now()
	sum := run(n)
	el := time.Since(start)
	ns := float64(el.Nanoseconds())
	fmt.Printf("checksum %d\nms_wall %.1f\nns_per_op %.1f\n", sum, ns/1e6, ns/float64(n))
}
