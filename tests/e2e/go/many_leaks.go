// 10,000 goroutines leak at the same site: one group, counted, not 10,000 reports. (A gc build times their
// waits by the shim's readings of the runtime's table: all may have begun between the same two.)
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(10000 leaked in 1 groups?\)$
// GCCGO-EXPECT: ^\[10000 goroutines blocked for [0-9]+\.[0-9]{2}s \(newest [0-9]+\.[0-9]{2}s\) in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// GC-EXPECT: ^\[10000 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9]+\.[0-9]{2}s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.subscriber +.*many_leaks\.go:20( |$)
// EXPECT: ^  created by main\.main +.*many_leaks\.go:28 +\(goroutine 1\)
// EXPECT: ^leakcheck: 10000 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
package main

import (
	"fmt"
	"time"
)

func subscriber(updates chan string) {
	for u := range updates {
		_ = u
	}
}

func main() {
	updates := make(chan string)
	for i := 0; i < 10000; i++ {
		go subscriber(updates)
	}
	time.Sleep(100 * time.Millisecond)
	fmt.Println("subscribed")
}
