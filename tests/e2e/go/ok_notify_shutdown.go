// A service that shuts down cleanly on SIGTERM: it catches the signal with signal.Notify, its workers finish,
// and it exits 0. The signal is the program's: no report of dying of it, nothing leaked, a quiet run (earlier
// gccgo builds reported the goroutine waiting for the signal as leaked by a death by SIGTERM).
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^stopping on terminated$
// STDOUT: ^4 workers done$
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		s := <-sigs
		fmt.Println("stopping on", s)
		close(stop)
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGTERM) // as a supervisor would
	<-done
	wg.Wait()
	signal.Stop(sigs)
	fmt.Println("4 workers done")
}
