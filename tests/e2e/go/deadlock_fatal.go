// Every goroutine is blocked: Go itself stops with "all goroutines are asleep - deadlock!" (status 2); the
// report still shows the worker that could never be served.
// OPTIONS: grace_ms=100
// EXIT: 2
// STDOUT-VARIES
// EXPECT: ^fatal error: all goroutines are asleep - deadlock!$
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan send on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.produce +.*deadlock_fatal\.go:15( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 2$
package main

func produce(out chan int) {
	for i := 0; ; i++ {
		out <- i
	}
}

func main() {
	out := make(chan int)
	go produce(out)
	<-out
	done := make(chan bool)
	<-done // nobody will ever close it
}
