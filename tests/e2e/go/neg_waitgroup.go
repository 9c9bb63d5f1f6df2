// A retry path calls wg.Done a second time: "sync: negative WaitGroup counter" (the panic is recovered).
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[negative WaitGroup counter on WaitGroup 0x[0-9a-f]+ \(counter < 0\)\]$
// EXPECT: ^  at: main\.fetch +.*neg_waitgroup\.go:24 +\(goroutine [0-9]+\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^recovered: sync: negative WaitGroup counter$
package main

import (
	"fmt"
	"sync"
)

func fetch(attempt int, wg *sync.WaitGroup, done chan bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
		}
		done <- true
	}()
	wg.Done()
	if attempt == 0 {
		wg.Done() // retry path: Done again
	}
}

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	done := make(chan bool)
	go fetch(0, &wg, done)
	<-done
}
