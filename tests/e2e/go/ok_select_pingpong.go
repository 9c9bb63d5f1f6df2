// Four pairs of goroutines bounce values over unbuffered channels for a second, each receiving through a
// select: every round trip parks and wakes both sides, so any reading of the goroutines catches some of them
// just woken, their select's wait records given back. A correct program: nothing is reported.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^rounds ok$
package main

import (
	"fmt"
	"sync"
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
	time.Sleep(1200 * time.Millisecond)
	close(stop)
	wg.Wait()
	fmt.Println("rounds ok")
}
