// The gc-built program tests/unit/test_gc.c reads: known functions at known lines, an inlined call, and
// goroutines parked in known ways once it prints "ready".
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

type counter struct{ n int }

func (c *counter) add(v int) int { c.n += v; return c.n } // line 14: inlined into twice

//go:noinline
func twice(c *counter) int {
	a := c.add(1) // line 18
	return a + c.add(2)
}

func receiver(ch chan int) { <-ch } // line 22

func locker(mu *sync.Mutex) { mu.Lock() } // line 24

func main() {
	ch := make(chan int, 3)
	var mu sync.Mutex
	mu.Lock()
	go receiver(ch) // line 30
	go receiver(ch)
	go locker(&mu)
	go func() { time.Sleep(time.Hour) }() // line 33
	fmt.Println(twice(&counter{}))
	time.Sleep(50 * time.Millisecond)
	fmt.Println("ready")
	os.Stdin.Read(make([]byte, 1)) // parks in a read until the test closes our stdin
}
