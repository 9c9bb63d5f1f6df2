// main wakes its workers and returns at once: they are runnable, not leaked, and need a CPU to finish. With
// GOMAXPROCS=1 the only P is the exiting main goroutine's, which the shim hands back to the scheduler at exit.
// ENV: GOMAXPROCS=1
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^released 8 workers$
package main

import "fmt"

func worker(start chan struct{}, ready chan bool) {
	ready <- true
	<-start
}

func main() {
	start := make(chan struct{})
	ready := make(chan bool)
	for i := 0; i < 8; i++ {
		go worker(start, ready)
	}
	for i := 0; i < 8; i++ {
		<-ready
	}
	close(start)
	fmt.Println("released 8 workers")
}
