// Workers watch ctx.Done() and a job channel; cancel() stops them all, and main waits for them.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^all 4 workers stopped$
package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

func worker(ctx context.Context, jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			_ = j * 2
		}
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	jobs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(ctx, jobs, &wg)
	}
	for j := 0; j < 20; j++ {
		jobs <- j
	}
	tctx, tcancel := context.WithTimeout(ctx, 5*time.Millisecond)
	<-tctx.Done()
	tcancel()
	cancel()
	wg.Wait()
	fmt.Println("all 4 workers stopped")
}
