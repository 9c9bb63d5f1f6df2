// Four pairs of goroutines bounce values over unbuffered channels for a second, each side receiving and sending
// through a select, while the program asks itself for a live report every few milliseconds: every round trip
// parks and wakes both sides, so the readings catch selects just woken, their wait records given back (read
// as waiting on no channel at all). A correct program: live reports with no misuse, and a quiet exit.
// EXIT: 0
// EXPECT: ^leakcheck: live report
// REJECT: nil chan
// REJECT: ^leakcheck: found
// STDOUT: ^rounds ok$
package main

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
)

func pair(stop <-chan struct{}, wg *sync.WaitGroup) {
	ping, pong := make(chan int), make(chan int)
	quit := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			select {
			case v := <-ping:
				select {
				case pong <- v + 1:
				case <-quit:
					return
				}
			case <-quit:
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case ping <- i:
			case <-stop:
				close(quit)
				return
			}
			select {
			case <-pong:
			case <-stop:
				close(quit)
				return
			}
		}
	}()
}

func main() {
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		pair(stop, &wg)
	}
	wg.Add(1)
	go func() { // the live reports (SIGUSR1, which the program leaves alone)
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(4 * time.Millisecond):
				syscall.Kill(os.Getpid(), syscall.SIGUSR1)
			}
		}
	}()
	time.Sleep(1200 * time.Millisecond)
	close(stop)
	wg.Wait()
	fmt.Println("rounds ok")
}
