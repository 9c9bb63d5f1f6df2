// A live report of a running Go program: kill -USR1 prints every goroutine with its state and the program
// keeps running to a clean end (its own signal.Notify for SIGUSR2 keeps working too).
// DRIVER: sigusr1_dump.sh
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^leakcheck: live report \(pid [0-9]+, [0-9]+ tasks\)$
// EXPECT: ^\[2 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.consumer +.*sigusr1_dump\.go:25( |$)
// EXPECT: ^  created by main\.main +.*sigusr1_dump\.go:36 +\(goroutine 1\)
// EXPECT: ^stdout: got 2$
// EXPECT: ^stdout: notified user defined signal 2$
// REJECT: ^leakcheck: found
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

func consumer(jobs chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for range jobs {
	}
}

func main() {
	note := make(chan os.Signal, 1)
	signal.Notify(note, syscall.SIGUSR2)
	jobs := make(chan int)
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go consumer(jobs, &wg)
	}
	fmt.Println("ready")
	var line string
	fmt.Scanln(&line) // the driver answers once it has asked for the dump
	fmt.Println("notified", <-note)
	close(jobs)
	wg.Wait()
	fmt.Println("got", 2)
}
