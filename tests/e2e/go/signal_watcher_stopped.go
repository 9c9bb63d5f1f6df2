// A watcher whose channel was given back with signal.Stop still waits on it: no signal can reach it any more, so
// it is leaked, and reported as any goroutine blocked on a channel nobody sends on.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in chan receive on chan 0x[0-9a-f]+ \(buffered cap 1, never closed\)\]$
// EXPECT: ^    main\.interruptible\.func1 +.*signal_watcher_stopped\.go:25( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^finished$
package main

import (
	"fmt"
	"os"
	"os/signal"
	"time"
)

// Runs work, cancelling it on Ctrl-C; the watcher is never told that the work is over.
func interruptible(work func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	go func() {
		<-sigs
		fmt.Println("interrupted")
	}()
	work()
}

func main() {
	interruptible(func() { time.Sleep(10 * time.Millisecond) })
	fmt.Println("finished")
}
