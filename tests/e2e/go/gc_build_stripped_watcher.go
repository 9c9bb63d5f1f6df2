// A stripped build (-ldflags=-s) with the usual signal watchers: one goroutine waits for SIGTERM, another
// selects on SIGHUP and a stop channel; main returns while both still wait, and a worker is left blocked on a
// results channel. Without symbols there is no os/signal table to read, so a channel whose element type is
// os.Signal stands for a signal.Notify channel: the watchers are no leak, the worker is (earlier builds reported
// all three).
// BUILD: gc
// GCBUILD: -buildmode=pie -ldflags=-s
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in chan send on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.worker +.*gc_build_stripped_watcher\.go:26( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^serving$
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func worker(results chan<- int) {
	results <- 42
}

func main() {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		<-term
		os.Exit(143)
	}()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-hup:
			case <-stop:
				return
			}
		}
	}()
	go worker(make(chan int))
	time.Sleep(20 * time.Millisecond)
	fmt.Println("serving")
}
