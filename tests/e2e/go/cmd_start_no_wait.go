// A command is started with its output collected in a buffer and never waited for: os/exec's goroutine that
// copies the child's output stays in the runtime's poller for as long as the child lives. The stack is all the
// standard library's, shown whole from its first frame outside package runtime in both builds (gccgo parks one
// frame deeper, in runtime.netpollblock, and its DWARF spells the poller's entry as its //go:linkname symbol,
// internal_1poll.runtime__pollWait).
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in IO wait\]$
// EXPECT-COUNT: 1 ^    internal/poll\.runtime_pollWait +
// EXPECT-COUNT: 0 ^    runtime\.
// EXPECT: ^    io\.Copy +
// EXPECT: ^    os/exec\.\(\*Cmd\)\.Start\.func1 +
// EXPECT: ^  created by main\.main +.*cmd_start_no_wait\.go:30 +\(goroutine 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66
// STDOUT: ^started$
package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"time"
)

func main() {
	var out bytes.Buffer
	cmd := exec.Command("sleep", "2")
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil { // started here, and never cmd.Wait()
		panic(err)
	}
	fmt.Println("started")
	time.Sleep(20 * time.Millisecond)
}
