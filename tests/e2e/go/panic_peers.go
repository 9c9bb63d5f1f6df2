// The goroutine that should answer requests panics on a bad one, recovers and returns; the clients that
// were waiting for their replies are left blocked.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 1 groups?\)$
// EXPECT: ^\[2 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9]+\.[0-9]{2}s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)( and 1 other chans?)?\]$
// EXPECT: ^    main\.client +.*panic_peers\.go:36( |$)
// EXPECT: ^  created by main\.main +.*panic_peers\.go:45 +\(goroutine 1\)
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^server stopped: runtime error: integer divide by zero$
package main

import (
	"fmt"
	"time"
)

type request struct {
	n     int
	reply chan int
}

func serve(reqs chan request) {
	defer func() {
		fmt.Println("server stopped:", recover())
	}()
	for r := range reqs {
		r.reply <- 100 / r.n
	}
}

func client(n int, reqs chan request) {
	r := request{n, make(chan int)}
	reqs <- r
	<-r.reply
}

func main() {
	reqs := make(chan request, 4)
	reqs <- request{0, make(chan int, 1)} // the bad request
	go serve(reqs)
	time.Sleep(10 * time.Millisecond)
	for n := 1; n <= 2; n++ {
		go client(n, reqs)
	}
	time.Sleep(20 * time.Millisecond)
}
