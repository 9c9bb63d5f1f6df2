// Periodic mode in a Go program: interval=150ms writes live reports while it runs, and max_tasks=8 prints one
// alert when the goroutine count crosses 8, the creation sites holding the most first (the runtime's own
// goroutines count, as in the live report).
// OPTIONS: interval=150ms:max_tasks=8:grace_ms=50
// EXIT: 66
// STDOUT-VARIES
// EXPECT: ^leakcheck: periodic report \(pid [0-9]+, [0-9]+ tasks\)$
// EXPECT-COUNT: 1 ^leakcheck: task count alert: [0-9]+ live tasks, max_tasks=8 \(pid [0-9]+\)$
// EXPECT-COUNT: 1 ^top creation sites \(tasks created there\):$
// EXPECT: ^ +[0-9]+  main\.spawnWaiters +.*periodic_alert_go\.go:24$
// EXPECT: ^leakcheck: found unexpected goroutines \(12 leaked in 1 groups\)$
// EXPECT: ^leakcheck: 12 leaked, 0 misuse; exit status 66$
package main

import (
	"fmt"
	"time"
)

var never = make(chan int)

func spawnWaiters(n int) {
	for i := 0; i < n; i++ {
		go func() { <-never }()
		time.Sleep(30 * time.Millisecond)
	}
}

func main() {
	spawnWaiters(12)
	time.Sleep(400 * time.Millisecond)
	fmt.Println("done")
}
