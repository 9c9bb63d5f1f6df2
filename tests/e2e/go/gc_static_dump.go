// Live reports of a static gc build run by `leakcheck ./app` (traced: no preload enters it): the dump signal
// reaching the program, from `leakcheck dump PID` or sent to leakcheck itself, has the tracer stop the program,
// read its goroutines and write a live report; the program goes on (the Go runtime ignores the signal). Once
// the program takes SIGUSR1 for itself (signal.Notify), it gets the signal and there is no report, as under the
// preload. leakcheck attach, which cannot trace it too, says where its reports come from. At the exit, the
// verdict. A report after the first knows the workers waited at least since the one before (Go's own
// waitsince is not set before a collection). Then, with interval, periodic reports on leakcheck's own timer, of which
// the program sees no signal (gc_static_dump.sh).
// BUILD: gc
// GCBUILD: CGO_ENABLED=0 -buildmode=exe
// DRIVER: gc_static_dump.sh
// EXIT: 0
// EXPECT: ^elf: static$
// EXPECT: ^dump: exit 0$
// EXPECT: ^leakcheck: live report requested from PID; its tracer \(leakcheck, process [0-9]+\) writes it to its standard error$
// EXPECT: ^attach: exit 2$
// EXPECT: ^leakcheck: attach: cannot trace process PID: process PID runs traced by leakcheck \(process [0-9]+\), which reads it itself: 'leakcheck dump PID' asks it for a live report$
// EXPECT-COUNT: 2 ^leakcheck: live report \(pid PID, [0-9]+ tasks\)$
// EXPECT-COUNT: 3 ^\[3 goroutines blocked( for [0-9.]+s)? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT-COUNT: 2 ^\[3 goroutines blocked for [0-9.]+s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT-COUNT: 3 ^    main\.worker +.*gc_static_dump\.go:44$
// EXPECT: ^program: exit 66$
// EXPECT: ^stdout: ready$
// EXPECT: ^stdout: notify$
// EXPECT: ^stdout: usr1 1$
// EXPECT: ^leakcheck: found unexpected goroutines \(3 leaked in 1 groups\)$
// EXPECT: ^leakcheck: 3 leaked, 0 misuse; exit status 66$
// EXPECT: ^interval: exit 66, periodic reports: 2 or more$
// EXPECT: ^interval: leakcheck: max_tasks and deadlock_check_ms need the preload, which a static program cannot load \(build it with -buildmode=pie\): not checked in this run$
// EXPECT: ^interval stdout: usr1 0 \(timed out\)$
// REJECT: statically linked Go program|cannot read|cannot start
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func worker(jobs chan int) {
	for range jobs {
	}
}

func main() {
	jobs := make(chan int)
	for i := 0; i < 3; i++ {
		go worker(jobs)
	}
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	in.ReadString('\n') // released by the driver once both reports are written
	usr1 := make(chan os.Signal, 4)
	signal.Notify(usr1, syscall.SIGUSR1)
	fmt.Println("notify")
	in.ReadString('\n')
	select {
	case <-usr1:
		fmt.Println("usr1", 1+len(usr1))
	case <-time.After(2 * time.Second):
		fmt.Println("usr1 0 (timed out)")
	}
}
