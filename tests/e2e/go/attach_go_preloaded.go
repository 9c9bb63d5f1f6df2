// leakcheck attach on a Go program that runs under the preload (built by gccgo, and by gc as a PIE, which the
// preload enters): read from outside, the report is the one of a process without it, each goroutine in the call
// the program made (sync.Mutex.Lock, not the semaphore wait under it) at the program's own frames, never at the
// preload's wrappers; a last line says that the process's own live report knows more. The program then ends
// cleanly, and its exit under the preload is quiet (attach_go_preloaded.sh).
// DRIVER: attach_go_preloaded.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: live report \(pid PID, [0-9]+ tasks\)$
// EXPECT: ^\[2 goroutines blocked( for [0-9.]+s)?( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.worker +.*attach_go_preloaded\.go:36$
// GC-EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// GCCGO-EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in sync\.Mutex\.Lock\]$
// EXPECT: ^    main\.locker +.*attach_go_preloaded\.go:43$
// EXPECT: ^\[1 goroutine blocked( for [0-9.]+s)? in read on fd 0\]$
// EXPECT: ^    main\.main +.*attach_go_preloaded\.go:59$
// EXPECT: ^leakcheck: attach: process PID runs under leakcheck: its own live report \(kill -USR1 PID, written where its reports go\)
// EXPECT: ^json: live, 4 tasks \(4 goroutines, 0 threads\), 0 deadlocks$
// EXPECT: ^after: running$
// EXPECT: ^program: exit 0$
// EXPECT: ^stdout: done 2$
// REJECT: /interpose/|go_gopark|go_semacquire|^stderr: |semacquire
package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
)

var mu sync.Mutex

func worker(jobs chan int, done *int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		*done += j
	}
}

func locker(wg *sync.WaitGroup) {
	defer wg.Done()
	mu.Lock()
	defer mu.Unlock()
}

func main() {
	jobs := make(chan int)
	var done int
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 2; i++ {
		go worker(jobs, &done, &wg)
	}
	mu.Lock()
	go locker(&wg)
	fmt.Println("ready")
	os.Stdout.Sync()
	bufio.NewReader(os.Stdin).ReadString('\n')
	mu.Unlock()
	close(jobs)
	wg.Wait()
	fmt.Println("done", len(os.Args)+1)
}
