// An error path returns with the cache mutex still locked; the next writer blocks in Lock forever.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.Mutex\.Lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    main\.\(\*cache\)\.put +.*mutex_never_unlocked\.go:38( |$)
// EXPECT: ^    main\.refresher +.*mutex_never_unlocked\.go:44( |$)
// EXPECT: ^  created by main\.main +.*mutex_never_unlocked\.go:52 +\(goroutine 1\)
// GCCGO-EXPECT: ^  held by goroutine 1 for [0-9]+\.[0-9]{2}s, locked at main\.\(\*cache\)\.load +.*mutex_never_unlocked\.go:28$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^load failed: empty key$
package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

type cache struct {
	mu   sync.Mutex
	data map[string]string
}

func (c *cache) load(key string) error {
	c.mu.Lock()
	if key == "" {
		return errors.New("empty key") // forgot: c.mu.Unlock()
	}
	c.data[key] = "loaded"
	c.mu.Unlock()
	return nil
}

func (c *cache) put(key, val string) {
	c.mu.Lock()
	c.data[key] = val
	c.mu.Unlock()
}

func refresher(c *cache) {
	c.put("k", "v")
}

func main() {
	c := &cache{data: map[string]string{}}
	if err := c.load(""); err != nil {
		fmt.Println("load failed:", err)
	}
	go refresher(c)
	time.Sleep(20 * time.Millisecond)
}
