// A program built with cgo (it imports net, whose resolver then uses the C library): a dynamically linked
// gc binary whose threads are glibc's. Three goroutines wait on a channel nobody writes.
// BUILD: gc
// GCBUILD: CGO_ENABLED=1
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(3 leaked in 1 groups\)$
// EXPECT: ^\[3 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.lookupWorker +.*gc_build_cgo\.go:21( |$)
// EXPECT: ^  created by main\.main +.*gc_build_cgo\.go:29 +\(goroutine 1\)$
// EXPECT: ^  channel made at main\.main +.*gc_build_cgo\.go:27( |$)
// EXPECT: ^leakcheck: 3 leaked, 0 misuse; exit status 66$
// STDOUT: ^resolver ready$
package main

import (
	"fmt"
	"net"
)

func lookupWorker(names chan string) {
	for n := range names {
		net.LookupHost(n)
	}
}

func main() {
	names := make(chan string)
	for i := 0; i < 3; i++ {
		go lookupWorker(names)
	}
	fmt.Println("resolver ready")
}
