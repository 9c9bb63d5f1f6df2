// Memory per live goroutine: start N goroutines (default 100,000) that block receiving from one channel,
// measure VmRSS once the first tenth of them waits and again once they all wait, then close the channel and
// wait for them so the run ends clean. Prints the RSS growth per goroutine between the two (what each more
// blocked goroutine costs; what the first ones bring once is not per goroutine). `go_mem N leak` instead returns from main with all N goroutines still
// blocked (the scale rows: under the shim they are the exit report), after printing the wall-clock time it
// starts exiting (exiting_real_ns).
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

func iterations(def int) int {
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil && n > 0 {
			return n
		}
	}
	return def
}

func rssKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "VmRSS:") {
			v, _ := strconv.ParseInt(strings.Fields(sc.Text())[1], 10, 64)
			return v
		}
	}
	return -1
}

func main() {
	n := iterations(100000)
	release := make(chan struct{})
	var started, finished sync.WaitGroup
	first := n / 10
	spawn := func(k int) int64 {
		started.Add(k)
		finished.Add(k)
		for i := 0; i < k; i++ {
			go func() {
				started.Done()
				<-release
				finished.Done()
			}()
		}
		started.Wait()
		time.Sleep(100 * time.Millisecond) // the last ones are parked in the receive by now
		runtime.GC()
		return rssKB()
	}
	before := spawn(first)
	after := spawn(n - first)
	if len(os.Args) > 2 && os.Args[2] == "leak" {
		fmt.Printf("rss_before_kb %d\nrss_after_kb %d\ntasks %d\n", before, after, n)
		fmt.Printf("bytes_per_task %.1f\n", float64(after-before)*1024/float64(n-first))
		fmt.Printf("exiting_real_ns %d\n", time.Now().UnixNano())
		return
	}
	close(release)
	finished.Wait()
	fmt.Printf("rss_before_kb %d\nrss_after_kb %d\ntasks %d\n", before, after, n)
	fmt.Printf("bytes_per_task %.1f\n", float64(after-before)*1024/float64(n-first))
}
