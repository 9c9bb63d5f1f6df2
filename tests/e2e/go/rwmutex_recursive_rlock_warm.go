// rwmutex_recursive_rlock with the first RLock's call site already used by calls that did not nest: the first
// RLock then takes the wrappers' common case, which must record it as a read lock like the careful path does,
// so that the second RLock is still found recursive.
// BUILD: gccgo    (gc builds: RLock's fast path is inlined into the program; see README)
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[recursive read lock of RWMutex 0x[0-9a-f]+\]$
// EXPECT: ^  second RLock: main\.\(\*registry\)\.count +.*rwmutex_recursive_rlock_warm\.go:25 +\(goroutine [0-9]+\)$
// EXPECT: ^  first RLock: +main\.\(\*registry\)\.describe +.*rwmutex_recursive_rlock_warm\.go:31 +\(goroutine [0-9]+\)$
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

func (r *registry) describe(nested bool) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !nested {
		return ""
	}
	return fmt.Sprintf("%d entries", r.count())
}

func main() {
	r := &registry{entries: map[string]int{"a": 1, "b": 2}}
	for i := 0; i < 10; i++ {
		r.describe(false)
	}
	fmt.Println(r.describe(true))
}
