// A statically linked gc build (the default go build of pure-Go code) never runs the dynamic loader, so no
// preload enters it: `leakcheck ./app` runs it traced instead and reads its goroutines from outside when it
// exits (gc_static.sh): the preload's verdict and exit status rules, the program's own output and status, and
// a death by SIGTERM (sent to leakcheck, as timeout(1) does) reported and passed on.
// BUILD: gc
// GCBUILD: CGO_ENABLED=0 -buildmode=exe
// DRIVER: gc_static.sh
// EXIT: 0
// EXPECT: ^elf: static$
// EXPECT: ^clean: exit 66, output: ran$
// EXPECT-COUNT: 3 ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT-COUNT: 3 ^\[1 goroutine blocked( for [0-9.]+s)? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT-COUNT: 3 ^    main\.waiter +.*gc_static\.go:35$
// EXPECT-COUNT: 3 ^  created by main\.main +.*gc_static\.go:51$
// EXPECT-COUNT: 3 ^\[1 goroutine still running\]$
// EXPECT-COUNT: 3 ^    (start routine )?main\.spinner +.*gc_static\.go:4[45]$
// EXPECT-COUNT: 3 ^  created by main\.main +.*gc_static\.go:52$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// EXPECT: ^failing: exit 3, output: ran$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 3$
// EXPECT: ^term: exit 143, output: ready$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 143$
// REJECT: statically linked Go program
package main

import (
	"fmt"
	"os"
	"time"
)

var counter int

func waiter(ch chan int) {
	<-ch
}

//go:noinline
func step() int {
	counter++
	return counter
}

func spinner() {
	for step() > 0 {
	}
}

func main() {
	ch := make(chan int)
	go waiter(ch)
	go spinner()
	time.Sleep(20 * time.Millisecond)
	if len(os.Args) > 1 && os.Args[1] == "wait" {
		fmt.Println("ready")
		time.Sleep(30 * time.Second)
	}
	fmt.Println("ran")
	if len(os.Args) > 1 && os.Args[1] == "fail" {
		os.Exit(3)
	}
}
