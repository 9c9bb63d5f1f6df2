// Every goroutine is blocked: Go itself stops with "all goroutines are asleep - deadlock!" (status 2); the
// report still shows the worker that could never be served (a gc build: every goroutine as the program died,
// main included).
// OPTIONS: grace_ms=100
// EXIT: 2
// STDOUT-VARIES
// EXPECT: ^fatal error: all goroutines are asleep - deadlock!$
// GCCGO-EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// GC-EXPECT: ^leakcheck: the program died, with these goroutines \(2 in 2 groups\)$
// GC-EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// GC-EXPECT: ^    main\.main +.*deadlock_fatal\.go:29( |$)
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan send on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.produce +.*deadlock_fatal\.go:20( |$)
// GCCGO-EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 2$
// GC-EXPECT: ^leakcheck: 2 goroutines when it died, 0 misuse; exit status 2$
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
