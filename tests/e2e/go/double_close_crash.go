// Two shutdown paths both close the quit channel and nothing recovers the panic: Go prints its "close of
// closed channel" with the second site only and exits 2; the report adds the first close and its goroutine.
// STDOUT-VARIES
// EXIT: 2
// EXPECT: ^panic: close of closed channel$
// EXPECT: ^\[double close of chan 0x[0-9a-f]+\]$
// EXPECT: ^  second close: main\.stopFromSignal +.*double_close_crash\.go:28 +\(goroutine 1\)$
// EXPECT: ^  first close: +main\.stopFromTimeout +.*double_close_crash\.go:23 +\(goroutine [0-9]+\)$
// EXPECT: ^  channel made at main\.main +.*double_close_crash\.go:32( |$)
// GC-EXPECT: ^leakcheck: the program died, with these goroutines \(1 in 1 groups, 1 misuse\)$
// GC-EXPECT: ^leakcheck: 1 goroutine when it died, 1 misuse; exit status 2$
// GCCGO-EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// GCCGO-EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 2$
package main

import (
	"fmt"
	"sync"
)

func stopFromTimeout(quit chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	close(quit)
}

func stopFromSignal(quit chan struct{}) {
	fmt.Println("stopping")
	close(quit) // the second close: panics, nothing recovers
}

func main() {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go stopFromTimeout(quit, &wg)
	wg.Wait()
	stopFromSignal(quit)
}
