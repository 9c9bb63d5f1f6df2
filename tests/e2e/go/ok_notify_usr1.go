// A program that uses SIGUSR1 itself (reopening its log, say) with signal.Notify: the dump signal is then the
// program's, not the shim's, and its own sends of it make no live report (earlier builds printed one each
// time, gc and gccgo). Ask for live reports with another dump_signal, or with leakcheck attach.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^reopened 3 times$
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	n := 0
	for i := 0; i < 3; i++ {
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
		select {
		case <-usr1:
			n++
		case <-time.After(5 * time.Second):
		}
	}
	fmt.Printf("reopened %d times\n", n)
}
