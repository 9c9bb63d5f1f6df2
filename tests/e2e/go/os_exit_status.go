// The program fails with os.Exit(3) while a goroutine is stuck: the leak is reported and the program's own
// status is kept.
// OPTIONS: grace_ms=100
// EXIT: 3
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^    main\.waitForPeer +.*os_exit_status\.go:16( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 3$
package main

import (
	"os"
	"time"
)

func waitForPeer(hello chan string) {
	<-hello
}

func main() {
	go waitForPeer(make(chan string))
	time.Sleep(10 * time.Millisecond)
	os.Exit(3)
}
