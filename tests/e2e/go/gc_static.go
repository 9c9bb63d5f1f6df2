// A statically linked gc build (the default go build of pure-Go code) never runs the dynamic loader, so no
// preload enters it: `leakcheck ./app` says so in one line, with the builds that work, and exits 2 without
// running it (gc_static.sh).
// BUILD: gc
// GCBUILD: CGO_ENABLED=0 -buildmode=exe
// DRIVER: gc_static.sh
// EXIT: 0
// EXPECT: ^static: exit 2, 1 line: leakcheck: 'BIN' is a statically linked Go program: no preload can enter it, so its goroutines cannot be checked; rebuild it with 'go build -buildmode=pie' \(or -ldflags=-linkmode=external, or with cgo\)$
// EXPECT: ^static: program output: none$
// EXPECT: ^elf: static$
package main

import "fmt"

func main() {
	ch := make(chan int)
	go func() { <-ch }()
	fmt.Println("ran")
}
