// A request handler waits for a lookup with a timeout; when the timeout wins, the lookup goroutine is left
// behind forever, blocked sending its result on an unbuffered channel nobody reads any more.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan send on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.slowLookup +.*select_timeout_sender\.go:22( |$)
// EXPECT: ^  created by main\.handle +.*select_timeout_sender\.go:27 +\(goroutine 1\)
// EXPECT: ^  channel made at main\.handle +.*select_timeout_sender\.go:26( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^lookup timed out$
package main

import (
	"fmt"
	"time"
)

func slowLookup(key string, result chan string) {
	time.Sleep(30 * time.Millisecond)
	result <- "value of " + key
}

func handle(key string) (string, error) {
	result := make(chan string)
	go slowLookup(key, result)
	select {
	case v := <-result:
		return v, nil
	case <-time.After(5 * time.Millisecond):
		return "", fmt.Errorf("lookup timed out")
	}
}

func main() {
	if _, err := handle("user:42"); err != nil {
		fmt.Println(err)
	}
	time.Sleep(60 * time.Millisecond)
}
