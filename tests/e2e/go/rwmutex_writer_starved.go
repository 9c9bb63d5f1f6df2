// A reader keeps the read lock while it waits for a reply that never comes: the writer waits behind it, and
// the readers that come after the writer wait behind the writer (Go lets no new reader in while a writer
// waits). The writer is reported blocked in sync.RWMutex.Lock, the later readers in RLock on the same lock.
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(4 leaked in 3 groups\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.RWMutex\.Lock on rwlock 0x[0-9a-f]+\]$
// EXPECT: ^    main\.update +.*rwmutex_writer_starved\.go:33( |$)
// EXPECT: ^\[2 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in sync\.RWMutex\.RLock on rwlock 0x[0-9a-f]+\]$
// EXPECT: ^    main\.lookup +.*rwmutex_writer_starved\.go:27( |$)
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.slowLookup +.*rwmutex_writer_starved\.go:42( |$)
// EXPECT: ^leakcheck: 4 leaked, 0 misuse; exit status 66$
// STDOUT: ^started$
package main

import (
	"fmt"
	"sync"
	"time"
)

var mu sync.RWMutex
var table = map[string]int{}

func lookup(k string) int {
	mu.RLock() // behind the waiting writer
	defer mu.RUnlock()
	return table[k]
}

func update(k string, v int) {
	mu.Lock() // behind the slow reader
	table[k] = v
	mu.Unlock()
}

// slowLookup holds the read lock while it waits for a reply.
func slowLookup(reply chan int) {
	mu.RLock()
	defer mu.RUnlock()
	<-reply
}

func main() {
	go slowLookup(make(chan int))
	time.Sleep(10 * time.Millisecond)
	go update("a", 1)
	time.Sleep(10 * time.Millisecond)
	for i := 0; i < 2; i++ {
		go lookup("a")
	}
	fmt.Println("started")
	time.Sleep(50 * time.Millisecond)
}
