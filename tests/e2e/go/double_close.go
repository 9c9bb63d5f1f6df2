// Two shutdown paths both close the same channel; the second close panics and is recovered, so the program
// carries on. Both close sites are reported, with their goroutines.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[double close of chan 0x[0-9a-f]+\]$
// EXPECT: ^  second close: main\.\(\*worker\)\.stop +.*double_close\.go:26 +\(goroutine [0-9]+\)$
// EXPECT: ^  first close: +main\.\(\*worker\)\.stop +.*double_close\.go:26 +\(goroutine [0-9]+\)$
// EXPECT: ^  channel made at main\.main +.*double_close\.go:35( |$)
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^recovered: close of closed channel$
package main

import (
	"fmt"
	"sync"
)

type worker struct{ quit chan struct{} }

func (w *worker) stop() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
		}
	}()
	close(w.quit)
}

func (w *worker) onSignal(wg *sync.WaitGroup) { defer wg.Done(); w.stop() }

func (w *worker) onError(wg *sync.WaitGroup) { defer wg.Done(); w.stop() }

func main() {
	var wg sync.WaitGroup
	w := &worker{quit: make(chan struct{})}
	wg.Add(1)
	go w.onSignal(&wg)
	wg.Wait()
	wg.Add(1)
	go w.onError(&wg)
	wg.Wait()
}
