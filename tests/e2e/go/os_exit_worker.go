// main waits forever (select {}); a worker ends the program with os.Exit(0) once its job is done, while another
// goroutine still waits for a reply nobody sends. The goroutine that calls os.Exit is not a leak (earlier gccgo
// builds reported it as still running); the one left waiting is, and the status becomes 66.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9.]+s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.awaitReply +.*os_exit_worker\.go:21( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// REJECT: still running
// STDOUT: ^job done$
package main

import (
	"fmt"
	"os"
	"time"
)

func awaitReply(reply chan string) {
	fmt.Println("reply:", <-reply)
}

func main() {
	go awaitReply(make(chan string))
	go func() {
		time.Sleep(20 * time.Millisecond)
		fmt.Println("job done")
		os.Exit(0)
	}()
	select {}
}
