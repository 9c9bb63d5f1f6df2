// A read-locked method calls another read-locked method: recursive RLock, which Go forbids (a writer arriving
// between the two RLocks deadlocks both). No writer comes in this run and it ends well; it is still reported,
// with both RLock sites.
// BUILD: gccgo    (gc builds: RLock's fast path is inlined into the program; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[recursive read lock of RWMutex 0x[0-9a-f]+\]$
// EXPECT: ^  second RLock: main\.\(\*registry\)\.count +.*rwmutex_recursive_rlock\.go:25 +\(goroutine [0-9]+\)$
// EXPECT: ^  first RLock: +main\.\(\*registry\)\.describe +.*rwmutex_recursive_rlock\.go:31 +\(goroutine [0-9]+\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^2 entries$
package main

import (
	"fmt"
	"sync"
)

type registry struct {
	mu      sync.RWMutex
	entries map[string]int
}

func (r *registry) count() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.entries)
}

func (r *registry) describe() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("%d entries", r.count())
}

func main() {
	r := &registry{entries: map[string]int{"a": 1, "b": 2}}
	fmt.Println(r.describe())
}
