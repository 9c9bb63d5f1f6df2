// Non-blocking sends and receives with select/default, a sync.Cond handshake, and a buffered channel drained
// before it is closed: everything ends.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^dropped [0-9]+, delivered [0-9]+, ready$
package main

import (
	"fmt"
	"sync"
)

func main() {
	events := make(chan int, 4)
	dropped, delivered := 0, 0
	for i := 0; i < 10; i++ {
		select {
		case events <- i:
		default:
			dropped++
		}
	}
	for {
		select {
		case <-events:
			delivered++
			continue
		default:
		}
		break
	}
	close(events)

	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := false
	done := make(chan bool)
	go func() {
		mu.Lock()
		for !ready {
			cond.Wait()
		}
		mu.Unlock()
		done <- true
	}()
	mu.Lock()
	ready = true
	cond.Broadcast()
	mu.Unlock()
	<-done
	fmt.Printf("dropped %d, delivered %d, ready\n", dropped, delivered)
}
