// leakcheck attach on a Go program that runs without leakcheck (built by gc as a static executable, which no
// preload enters, and by gccgo): the live report lists every goroutine with its wait and where, the program
// is paused a moment and then goes on to finish with its own output and status (attach_go.sh).
// GCBUILD: CGO_ENABLED=0 -buildmode=exe
// DRIVER: attach_go.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: attach: process PID \(.*/attach_go\), [0-9]+ threads, goroutines \(g[a-z]+\): paused for [0-9.]+ ms$
// EXPECT: ^leakcheck: live report \(pid PID, [0-9]+ tasks\)$
// EXPECT: ^\[3 goroutines blocked( for [0-9.]+s)?( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.worker +.*attach_go\.go:38$
// EXPECT: ^  created by main\.main +.*attach_go\.go:52$
// GC-EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// GCCGO-EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in sync\.Mutex\.Lock\]$
// EXPECT: ^    main\.locker +.*attach_go\.go:44$
// EXPECT: ^  created by main\.main +.*attach_go\.go:55$
// EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in read on fd 0\]$
// EXPECT: ^    main\.main +.*attach_go\.go:58$
// EXPECT: ^json: live, 5 tasks \(5 goroutines, 0 threads\), 0 deadlocks$
// EXPECT-COUNT: 3 ^json: goroutine blocked in chan receive at main\.worker$
// EXPECT: ^json: goroutine blocked in read at main\.main$
// EXPECT: ^after: running$
// EXPECT: ^program: exit 0$
// EXPECT: ^stdout: done 3$
// REJECT: ^leakcheck: found
package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
)

var mu sync.Mutex

func worker(jobs chan int, done *int) {
	for j := range jobs {
		*done += j
	}
}

func locker() {
	mu.Lock()
	defer mu.Unlock()
}

func main() {
	jobs := make(chan int)
	var done int
	for i := 0; i < 3; i++ {
		go worker(jobs, &done)
	}
	mu.Lock()
	go locker()
	fmt.Println("ready")
	os.Stdout.Sync()
	bufio.NewReader(os.Stdin).ReadString('\n')
	mu.Unlock()
	fmt.Println("done", len(os.Args)+2)
}
