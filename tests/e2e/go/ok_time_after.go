// Timeouts done right: the result channel is buffered, so a late answer never blocks its sender, and the
// program waits for stragglers before it returns.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^1 timed out, 1 answered$
package main

import (
	"fmt"
	"sync"
	"time"
)

func lookup(delay time.Duration, wg *sync.WaitGroup) (string, bool) {
	result := make(chan string, 1)
	go func() {
		defer wg.Done()
		time.Sleep(delay)
		result <- "answer"
	}()
	select {
	case r := <-result:
		return r, true
	case <-time.After(10 * time.Millisecond):
		return "", false
	}
}

func main() {
	var wg sync.WaitGroup
	timedOut, answered := 0, 0
	for _, d := range []time.Duration{30 * time.Millisecond, time.Millisecond} {
		wg.Add(1)
		if _, ok := lookup(d, &wg); ok {
			answered++
		} else {
			timedOut++
		}
	}
	wg.Wait()
	time.Sleep(5 * time.Millisecond)
	fmt.Printf("%d timed out, %d answered\n", timedOut, answered)
}
