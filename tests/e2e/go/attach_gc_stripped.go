// leakcheck attach on a stripped gc build (-ldflags=-s: no symbol table, no DWARF; a position-independent
// executable): the runtime's tables are found from its code, the layout from the built-in table, and the
// report is the same as for a full build (attach_go.sh).
// BUILD: gc
// GCBUILD: CGO_ENABLED=0 -buildmode=pie -ldflags=-s
// DRIVER: attach_go.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: attach: process PID \(.*/attach_gc_stripped\), [0-9]+ threads, goroutines \(gc\): paused for [0-9.]+ ms$
// EXPECT: ^\[2 goroutines blocked( for [0-9.]+s)? in select on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.waitEither +.*attach_gc_stripped\.go:32$
// EXPECT: ^  created by main\.main +.*attach_gc_stripped\.go:45$
// EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in sync\.WaitGroup\.Wait on WaitGroup 0x[0-9a-f]+\]$
// EXPECT: ^    main\.main\.func1 +.*attach_gc_stripped\.go:48$
// EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in chan receive \(nil chan\) on nil chan\]$
// EXPECT: ^    main\.main\.func2 +.*attach_gc_stripped\.go:52$
// EXPECT: ^json: live, 5 tasks \(5 goroutines, 0 threads\), 0 deadlocks$
// EXPECT-COUNT: 2 ^json: goroutine blocked in select at main\.waitEither$
// EXPECT: ^after: running$
// EXPECT: ^program: exit 0$
// EXPECT: ^stdout: finished$
package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
)

func waitEither(a, b chan int) int {
	select {
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

func main() {
	a, b := make(chan int), make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	for i := 0; i < 2; i++ {
		go waitEither(a, b)
	}
	go func() {
		wg.Wait()
	}()
	var never chan int
	go func() {
		<-never
	}()
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	wg.Done()
	fmt.Println("finished")
}
