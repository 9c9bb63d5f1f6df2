// A Go service stopped by SIGTERM (a CI timeout) while a handler goroutine waits for a reply nobody sends:
// the verdict is printed before the process dies of SIGTERM, as it would have without the shim.
// DRIVER: sigterm_report.sh
// OPTIONS: grace_ms=100
// EXIT: signal 15
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in chan send on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.handle +.*sigterm_report\.go:21( |$)
// EXPECT: ^  created by main\.main +.*sigterm_report\.go:27 +\(goroutine 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 143$
// EXPECT-COUNT: 1 ^leakcheck: found
// EXPECT: ^stdout: serving$
package main

import (
	"fmt"
	"time"
)

func handle(reply chan string) {
	reply <- "done" // nobody reads the reply
}

func main() {
	reply := make(chan string)
	for {
		go handle(reply)
		fmt.Println("serving")
		time.Sleep(time.Hour)
	}
}
