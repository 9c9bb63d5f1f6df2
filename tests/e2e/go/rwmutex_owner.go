// A goroutine returns on an error path still holding the config's write lock and exits; the readers that come
// later block in RLock. Each names the exited writer and where it locked.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT-COUNT: 2 ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.RWMutex\.RLock on rwlock 0x[0-9a-f]+\]$
// GCCGO-EXPECT-COUNT: 2 ^  held by goroutine [0-9]+ \(exited\) for [0-9]+\.[0-9]{2}s, locked at main\.\(\*config\)\.reload +.*rwmutex_owner\.go:25$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// STDOUT: ^reload failed: no source$
package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

type config struct {
	mu   sync.RWMutex
	vals map[string]string
}

func (c *config) reload(src string) error {
	c.mu.Lock()
	if src == "" {
		return errors.New("no source") // forgot: c.mu.Unlock()
	}
	c.vals["src"] = src
	c.mu.Unlock()
	return nil
}

func (c *config) get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.vals[k]
}

func reader(c *config, wg *sync.WaitGroup) {
	wg.Done()
	fmt.Println(c.get("src"))
}

func main() {
	c := &config{vals: map[string]string{}}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := c.reload(""); err != nil {
			fmt.Println("reload failed:", err)
		}
	}()
	wg.Wait()
	wg.Add(2)
	go reader(c, &wg)
	go reader(c, &wg)
	wg.Wait()
	time.Sleep(20 * time.Millisecond)
}
