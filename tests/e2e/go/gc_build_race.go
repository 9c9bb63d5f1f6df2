// A gc build with the race detector (go build -race): when main returns, the detector's finalizer ends the
// process with a status of its own and the exit the shim hooks is never reached, so there is no exit verdict.
// The shim says so in one line at start-up instead of passing the run silently (earlier builds printed
// nothing and exited 0 with a goroutine leaked).
// BUILD: gc
// GCBUILD: CGO_ENABLED=1 -race
// EXIT: 0
// EXPECT: ^leakcheck: .*gc_build_race: built with -race: the race detector ends the process itself, so no exit verdict is made \(build without -race for it; live reports and attach work\)$
// EXPECT-COUNT: 1 ^leakcheck
// STDOUT: ^started$
package main

import (
	"fmt"
	"time"
)

func main() {
	c := make(chan int)
	go func() { <-c }()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("started")
}
