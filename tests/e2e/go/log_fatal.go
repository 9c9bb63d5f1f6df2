// log.Fatal from a request handler: the program prints its message and exits 1 (os.Exit inside log). The
// exit status stays the program's, and the verdict still names the worker it left waiting.
// OPTIONS: grace_ms=100
// EXIT: 1
// STDOUT-VARIES
// EXPECT: ^[0-9/]+ [0-9:]+ config missing: cannot serve$
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(buffered cap 4, never closed\)\]$
// EXPECT: ^    main\.flusher +.*log_fatal\.go:20( |$)
// EXPECT: ^  created by main\.main +.*log_fatal\.go:27 +\(goroutine 1\)$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 1$
package main

import (
	"log"
	"time"
)

func flusher(lines chan string) {
	for l := range lines {
		_ = l
	}
}

func main() {
	lines := make(chan string, 4)
	go flusher(lines)
	time.Sleep(10 * time.Millisecond)
	log.Fatal("config missing: cannot serve")
}
