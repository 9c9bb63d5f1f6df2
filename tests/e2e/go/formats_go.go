// report=text,json,pprof,folded on a leaky gccgo program, each format read by a real reader
// (drivers/formats.sh): five consumers blocked receiving from a channel nobody closes, and a double close.
// DRIVER: ../drivers/formats.sh
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^exit 66$
// GC-EXPECT: ^json: runtime gc go1\.$
// GCCGO-EXPECT: ^json: runtime gccgo -$
// EXPECT: ^stderr bytes: 0$
// EXPECT: ^leakcheck: found unexpected goroutines \(5 leaked in 1 groups?, 1 misuse\)$
// EXPECT: ^leakcheck: json report written to OUT/lc\.[0-9]+\.json$
// EXPECT: ^leakcheck: 5 leaked, 1 misuse; exit status 66$
// EXPECT: ^json: schema leakcheck/1 reason exit live False exit_status 66$
// EXPECT: ^json: process pid [0-9]+ exe formats_go$
// EXPECT: ^json: summary leaked 5 groups 1 misuse 1 deadlocks 0 suppressed 0$
// EXPECT: ^json: frames ok$
// EXPECT: ^json: group 5 goroutine blocked chan receive top main\.consume created by main\.startConsumers members ok$
// EXPECT: ^json: object chan capacity=0 closed=False$
// EXPECT: ^json: main task goroutine leaked False$
// EXPECT: ^json: finding double_close sites second_close@main\.shutdown first_close@main\.shutdown$
// EXPECT: ^pprof: +5 +100% +100% +5 +100% +main\.consume$
// EXPECT: ^contention: Type: delay$
// EXPECT: ^contention: +[0-9.]+m?s +100% +100% +[0-9.]+m?s +100% +main\.consume$
// EXPECT: ^labels: .*kind:\[goroutine\].*object:\[chan 0x[0-9a-f]+\].*state:\[blocked\].*what:\[chan receive\]
// EXPECT: ^folded: main\.consume 5$
// EXPECT: ^folded lines: 1, malformed: 0$
// EXPECT: ^convert-folded: same$
// EXPECT: ^convert-text: \[5 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^convert-text: \[double close of chan 0x[0-9a-f]+\]$
// EXPECT: ^convert-pprof: +5 +100% +100% +5 +100% +main\.consume$
package main

import (
	"fmt"
	"os"
	"sync"
)

func consume(in chan string, ready *sync.WaitGroup) {
	ready.Done()
	for s := range in {
		fmt.Println(s)
	}
}

func startConsumers(n int) chan string {
	in := make(chan string)
	var ready sync.WaitGroup
	ready.Add(n)
	for i := 0; i < n; i++ {
		go consume(in, &ready)
	}
	ready.Wait()
	return in
}

func shutdown(quit chan bool) {
	defer func() { recover() }()
	close(quit)
}

func main() {
	fmt.Println("pid", os.Getpid())
	startConsumers(5)
	quit := make(chan bool)
	shutdown(quit)
	shutdown(quit)
}
