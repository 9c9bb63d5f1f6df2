// One of three tasks returns early without calling wg.Done: the collector waits in wg.Wait forever.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.WaitGroup\.Wait on [Ww]ait[Gg]roup 0x[0-9a-f]+\]$
// EXPECT: ^    main\.collect +.*waitgroup_missing_done\.go:32( |$)
// EXPECT: ^  created by main\.main +.*waitgroup_missing_done\.go:45 +\(goroutine 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^started 3 tasks$
package main

import (
	"fmt"
	"sync"
	"time"
)

func task(id int, wg *sync.WaitGroup, out chan<- int) {
	if id == 2 {
		return // forgot: wg.Done()
	}
	defer wg.Done()
	out <- id * id
}

func collect(wg *sync.WaitGroup, out chan int, done chan<- int) {
	sum := 0
	for i := 0; i < 2; i++ {
		sum += <-out
	}
	wg.Wait()
	done <- sum
}

func main() {
	var wg sync.WaitGroup
	out := make(chan int, 3)
	for id := 0; id < 3; id++ {
		wg.Add(1)
		go task(id, &wg, out)
	}
	fmt.Println("started 3 tasks")
	done := make(chan int, 1)
	go collect(&wg, out, done)
	select {
	case s := <-done:
		fmt.Println("sum", s)
	case <-time.After(30 * time.Millisecond):
	}
}
