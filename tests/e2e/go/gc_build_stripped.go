// A stripped position-independent build (-ldflags=-s: no symbol table, no DWARF): names and lines come from
// the function table Go keeps for its own tracebacks, the runtime's layout from the built-in table of Go 1.19.
// BUILD: gc
// GCBUILD: -buildmode=pie -ldflags=-s
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(3 leaked in 1 groups\)$
// EXPECT: ^\[3 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.lookupWorker +.*gc_build_stripped\.go:21( |$)
// EXPECT: ^  created by main\.main +.*gc_build_stripped\.go:29 +\(goroutine 1\)$
// EXPECT: ^  channel made at main\.main +.*gc_build_stripped\.go:27( |$)
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
