// A command-line program with the usual signal watchers: one goroutine waits for SIGTERM to clean up, another
// selects on SIGHUP and a context. main returns while both still wait. They wait for a signal, which may come
// for as long as the process lives, not for the program: no leak, exit 0 (earlier builds reported both, exit 66).
// A live report taken meanwhile shows them, marked as waiting on a signal.Notify channel.
// EXIT: 0
// REJECT: ^leakcheck: found
// EXPECT: ^leakcheck: live report
// EXPECT-COUNT: 2 ^\[1 goroutine blocked for [0-9.]+s in (chan receive|select) on chan 0x[0-9a-f]+ \(buffered cap 1, never closed, signal\.Notify\)\]$
// EXPECT: ^    main\.watchTerm\.func1 +.*ok_signal_watcher\.go:27( |$)
// EXPECT: ^    main\.watchHangup\.func1 +.*ok_signal_watcher\.go:37( |$)
// STDOUT: ^done$
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func watchTerm() {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		<-term
		os.Exit(143)
	}()
}

func watchHangup(ctx context.Context, reload func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for {
			select {
			case <-hup:
				reload()
			case <-ctx.Done():
				return
			}
		}
	}()
}

func main() {
	watchTerm()
	watchHangup(context.Background(), func() {})
	time.Sleep(20 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1) // a live report, as leakcheck dump would ask
	time.Sleep(300 * time.Millisecond)
	fmt.Println("done")
}
