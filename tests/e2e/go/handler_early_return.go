// Each request starts a goroutine that waits for the handler's verdict; on the error path the handler returns
// early without sending it. Five failing requests leave five goroutines, grouped by their creation site. (The
// newest's age is shown when it reads differently from the oldest's: for gc, ages are as the shim's walks
// first saw the waits, and a loaded run may have walked only once, at exit.)
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(5 leaked in 1 groups?\)$
// EXPECT: ^\[5 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9]+\.[0-9]{2}s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\) and 4 other chans\]$
// EXPECT: ^    main\.audit +.*handler_early_return\.go:27( |$)
// EXPECT: ^  created by main\.handle +.*handler_early_return\.go:34 +\(goroutine 1\)
// EXPECT: ^  channel made at main\.handle +.*handler_early_return\.go:33( |$)
// EXPECT: ^leakcheck: 5 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^served 10 requests, 5 failed$
package main

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

var audited int64

func audit(id int, verdict chan bool) {
	if <-verdict {
		atomic.AddInt64(&audited, 1)
	}
}

func handle(id int) error {
	verdict := make(chan bool)
	go audit(id, verdict)
	if id%2 == 1 {
		return errors.New("bad request") // forgot: verdict <- false
	}
	verdict <- true
	return nil
}

func main() {
	failed := 0
	for id := 0; id < 10; id++ {
		if handle(id) != nil {
			failed++
		}
		time.Sleep(2 * time.Millisecond)
	}
	fmt.Printf("served 10 requests, %d failed\n", failed)
}
