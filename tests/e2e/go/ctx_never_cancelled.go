// context.WithCancel without the cancel call: the watcher goroutine waits on ctx.Done() forever. (Go 1.18
// makes the done channel lazily, in the first Done() call.)
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.watch +.*ctx_never_cancelled\.go:22( |$)
// EXPECT: ^  created by main\.startSession +.*ctx_never_cancelled\.go:28 +\(goroutine 1\)
// EXPECT: ^  channel made at main\.watch +.*ctx_never_cancelled\.go:22( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^session user-7 open$
package main

import (
	"context"
	"fmt"
	"time"
)

func watch(ctx context.Context, name string) {
	<-ctx.Done()
	fmt.Println("session", name, "closed:", ctx.Err())
}

func startSession(name string) context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	go watch(ctx, name)
	fmt.Println("session", name, "open")
	return cancel
}

func main() {
	_ = startSession("user-7") // the cancel func is dropped
	time.Sleep(20 * time.Millisecond)
}
