// A late producer sends on a results channel the consumer already closed (the panic is recovered): the send
// site, the close site and the values still buffered are reported.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[send on closed channel 0x[0-9a-f]+ \(2 buffered\)\]$
// EXPECT: ^  send: +main\.produce +.*send_closed\.go:25 +\(goroutine [0-9]+\)$
// EXPECT: ^  closed at: main\.main +.*send_closed\.go:32 +\(goroutine 1\)$
// EXPECT: ^  channel made at main\.main +.*send_closed\.go:29( |$)
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^late result dropped: send on closed channel$
package main

import (
	"fmt"
	"time"
)

func produce(results chan int, done chan bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("late result dropped:", r)
		}
		done <- true
	}()
	results <- 3
}

func main() {
	results := make(chan int, 4)
	results <- 1
	results <- 2
	close(results)
	done := make(chan bool)
	go produce(results, done)
	<-done
	time.Sleep(time.Millisecond)
}
