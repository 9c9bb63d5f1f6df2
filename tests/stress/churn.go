// Stress program for gccgo: churner goroutines spawn goroutines that pass values through unbuffered and
// buffered channels, select, WaitGroups and mutexes, as fast as they can for a while; then the program leaves
// exactly 7 goroutines blocked for good and returns from main. It checks its own results and exits 1 when they
// are wrong; under the shim the verdict must say exactly "7 leaked".
// Usage: churn_go [CHURN_MS [SETTLE_MS]]    defaults 2000 300
// stdout: "pid P", "churn: ok, ..." when every check passed, "settled 7"; main returns SETTLE_MS later.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const churners = 4

var (
	spawned, finished int64
	rounds            int64
	failures          int64
	counterMu         sync.Mutex
	counter, want     int64
)

func fail(what string) {
	atomic.AddInt64(&failures, 1)
	fmt.Fprintf(os.Stderr, "churn: FAILED: %s\n", what)
}

func spawn(f func()) {
	atomic.AddInt64(&spawned, 1)
	go func() {
		f()
		atomic.AddInt64(&finished, 1)
	}()
}

// One round of a pattern; every goroutine it starts has ended when it returns.
func round(pattern int) {
	switch pattern {
	case 0: // unbuffered ping-pong
		ping, pong := make(chan int), make(chan int)
		spawn(func() {
			for v := range ping {
				pong <- v + 1
			}
			close(pong)
		})
		for i := 0; i < 20; i++ {
			ping <- i
			if <-pong != i+1 {
				fail("ping-pong value")
			}
		}
		close(ping)
		if _, ok := <-pong; ok {
			fail("pong not closed")
		}
	case 1: // buffered producer, ranging consumer
		ch, done := make(chan int, 8), make(chan int)
		spawn(func() {
			sum := 0
			for v := range ch {
				sum += v
			}
			done <- sum
		})
		for i := 1; i <= 100; i++ {
			ch <- i
		}
		close(ch)
		if <-done != 5050 {
			fail("buffered sum")
		}
	case 2: // select over several channels, with a quit channel
		a, b, quit, out := make(chan int), make(chan int), make(chan struct{}), make(chan int)
		spawn(func() {
			n := 0
			for {
				select {
				case <-a:
					n++
				case <-b:
					n += 2
				case <-quit:
					out <- n
					return
				}
			}
		})
		for i := 0; i < 10; i++ {
			a <- 1
			b <- 1
		}
		close(quit)
		if <-out != 30 {
			fail("select count")
		}
	case 3: // WaitGroup and a contended mutex
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			atomic.AddInt64(&want, 100)
			spawn(func() {
				defer wg.Done()
				for j := 0; j < 100; j++ {
					counterMu.Lock()
					counter++
					counterMu.Unlock()
				}
			})
		}
		wg.Wait()
	default: // a burst of goroutines released together by closing a channel
		start, done := make(chan struct{}), make(chan struct{}, 32)
		for i := 0; i < 32; i++ {
			spawn(func() {
				<-start
				done <- struct{}{}
			})
		}
		close(start)
		for i := 0; i < 32; i++ {
			<-done
		}
	}
}

func main() {
	churnMs, settleMs := 2000, 300
	if len(os.Args) > 1 {
		churnMs, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		settleMs, _ = strconv.Atoi(os.Args[2])
	}
	fmt.Printf("pid %d\n", os.Getpid())
	deadline := time.Now().Add(time.Duration(churnMs) * time.Millisecond)

	var wg sync.WaitGroup
	for c := 0; c < churners; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for r := c; time.Now().Before(deadline); r++ {
				round(r % 5)
				atomic.AddInt64(&rounds, 1)
			}
		}(c)
	}
	wg.Wait()
	// Every spawned goroutine signalled its end before its round returned, but the increment of finished
	// runs after: give the last ones a moment.
	for i := 0; i < 2000 && atomic.LoadInt64(&finished) != atomic.LoadInt64(&spawned); i++ {
		time.Sleep(time.Millisecond)
	}
	if atomic.LoadInt64(&finished) != atomic.LoadInt64(&spawned) {
		fail("goroutines lost")
	}
	counterMu.Lock()
	if counter != atomic.LoadInt64(&want) {
		fail("mutex counter")
	}
	c := counter
	counterMu.Unlock()
	status := "ok"
	if atomic.LoadInt64(&failures) > 0 {
		status = "FAILED"
	}
	fmt.Printf("churn: %s, %d rounds, %d goroutines, counter %d\n", status, atomic.LoadInt64(&rounds),
		atomic.LoadInt64(&spawned), c)

	// The deliberate leaks: 3 receivers and 2 senders on channels nobody serves, 1 goroutine waiting for a
	// mutex main holds, 1 in a select that nothing will ever satisfy.
	var started sync.WaitGroup
	never, nobody := make(chan int), make(chan int)
	var held sync.Mutex
	held.Lock()
	x, y := make(chan int), make(chan string)
	started.Add(7)
	for i := 0; i < 3; i++ {
		go func() { started.Done(); <-never }()
	}
	for i := 0; i < 2; i++ {
		go func() { started.Done(); nobody <- 1 }()
	}
	go func() { started.Done(); held.Lock() }()
	go func() {
		started.Done()
		select {
		case <-x:
		case <-y:
		}
	}()
	started.Wait()
	time.Sleep(50 * time.Millisecond) // from Done to parked is a few instructions: let them get there
	fmt.Println("settled 7")
	time.Sleep(time.Duration(settleMs) * time.Millisecond)
	if atomic.LoadInt64(&failures) > 0 {
		os.Exit(1)
	}
}
