// Two package-level mutexes taken in both orders, with collections in between: a program's variables are never
// freed, so the first order still counts when the second comes (a heap mutex's would not: see README, Limits).
// BUILD: gccgo    (gc builds: lock order needs every Lock, whose fast path the compiler inlines; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+, goroutines\)\]$
// EXPECT: ^  acquired A then B at: main\.flush +.*mutex_lock_order_gc\.go:32 +\(goroutine [0-9]+\)$
// EXPECT: ^  acquired B then A at: main\.record +.*mutex_lock_order_gc\.go:24 +\(goroutine [0-9]+\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^flushed 1$
package main

import (
	"fmt"
	"runtime"
	"sync"
)

var stats, logMu sync.Mutex
var pending int

func record() {
	stats.Lock()
	logMu.Lock()
	pending++
	logMu.Unlock()
	stats.Unlock()
}

func flush() int {
	logMu.Lock()
	stats.Lock()
	n := pending
	pending = 0
	stats.Unlock()
	logMu.Unlock()
	return n
}

func main() {
	done := make(chan int)
	go func() { record(); done <- 0 }()
	<-done
	runtime.GC()
	runtime.GC()
	go func() { done <- flush() }()
	fmt.Println("flushed", <-done)
}
