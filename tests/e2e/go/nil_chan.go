// A struct's channels were never made: sending, receiving and selecting on them blocks forever. Each is
// reported as a misuse at its site, and the goroutines as leaked.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(3 leaked in 3 groups, 3 misuse\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan send \(nil chan\) on nil chan\]$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive \(nil chan\) on nil chan\]$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in select on nil chan\]$
// EXPECT: ^\[operation on nil channel \(send\)\]$
// EXPECT: ^\[operation on nil channel \(receive\)\]$
// EXPECT: ^\[operation on nil channel \(select\)\]$
// EXPECT-COUNT: 2 ^ .*main\.\(\*server\)\.publish +.*nil_chan\.go:27( |$)
// EXPECT-COUNT: 2 ^ .*main\.\(\*server\)\.wait +.*nil_chan\.go:31( |$)
// EXPECT-COUNT: 2 ^ .*main\.\(\*server\)\.loop +.*nil_chan\.go:35( |$)
// EXPECT: ^leakcheck: 3 leaked, 3 misuse; exit status 66$
package main

import "time"

type server struct {
	events chan string
	quit   chan bool
	ticks  chan int
}

func (s *server) publish(e string) {
	s.events <- e
}

func (s *server) wait() {
	<-s.quit
}

func (s *server) loop() {
	select {
	case <-s.quit:
	case t := <-s.ticks:
		_ = t
	}
}

func main() {
	s := &server{} // forgot: events: make(chan string), ...
	go s.publish("started")
	go s.wait()
	go s.loop()
	time.Sleep(20 * time.Millisecond)
}
