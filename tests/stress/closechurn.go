// Stress program for the gc hooks on channels: churner goroutines make channels and close them, as fast as
// they can, under a garbage collector that runs all the time (GOGC=5 from the caller), so that channel
// addresses are reused; every 50th channel is closed a second time from another goroutine, the panic
// recovered. Under the shim, every one of those double closes must be in the verdict, each with both sites.
// Usage: closechurn [CHURN_MS]    stdout: "pid P", then "closechurn: ok, N channels, D double closes".
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var made, doubles int64

func closeAgain(ch chan int, done chan bool) {
	defer func() { done <- recover() != nil }()
	close(ch) // the second close: panics
}

func churn(deadline time.Time, wg *sync.WaitGroup) {
	defer wg.Done()
	garbage := make([][]byte, 0, 64)
	for i := 0; time.Now().Before(deadline); i++ {
		ch := make(chan int, i%3)
		atomic.AddInt64(&made, 1)
		garbage = append(garbage[:i%64], make([]byte, 256))
		close(ch)
		if i%50 == 0 {
			done := make(chan bool)
			go closeAgain(ch, done)
			if !<-done {
				fmt.Println("closechurn: FAILED: second close did not panic")
				os.Exit(1)
			}
			atomic.AddInt64(&doubles, 1)
		}
	}
}

func main() {
	ms := 2000
	if len(os.Args) > 1 {
		ms, _ = strconv.Atoi(os.Args[1])
	}
	fmt.Printf("pid %d\n", os.Getpid())
	deadline := time.Now().Add(time.Duration(ms) * time.Millisecond)
	var wg sync.WaitGroup
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go churn(deadline, &wg)
	}
	wg.Wait()
	fmt.Printf("closechurn: ok, %d channels, %d double closes\n", atomic.LoadInt64(&made), atomic.LoadInt64(&doubles))
}
