// A polling loop selects on an hourly ticker and a stop channel nobody ever closes: the goroutine never ends.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in select on chan 0x[0-9a-f]+.*\]$
// EXPECT: ^    main\.poll +.*ticker_loop\.go:26( |$)
// EXPECT: ^  created by main\.main +.*ticker_loop\.go:38 +\(goroutine 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^first poll done$
package main

import (
	"fmt"
	"time"
)

func refresh() {}

func poll(stop chan struct{}, first chan bool) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	refresh()
	first <- true
	for {
		select {
		case <-t.C:
			refresh()
		case <-stop:
			return
		}
	}
}

func main() {
	stop := make(chan struct{})
	first := make(chan bool)
	go poll(stop, first)
	<-first
	fmt.Println("first poll done")
	// forgot: close(stop)
}
