// A small price-quote service with three classic goroutine leaks. Build it (as a position-independent
// executable, which loads the preload; or with gccgo) and run it under leakcheck:
//
//	go build -buildmode=pie -o leaky-gc examples/leaky.go && scripts/leakcheck ./leaky-gc
//	gccgo-12 -g -O1 -o leaky-go examples/leaky.go && scripts/leakcheck ./leaky-go
//
// 1. fetchQuote gives up after a timeout, but the goroutine asking the supplier still wants to hand over
//    its answer on an unbuffered channel: it blocks forever (one per timed-out request).
// 2. The cache refresher waits for a stop signal on a context that is never cancelled.
// 3. The audit workers range over a channel that is never closed.
package main

import (
	"context"
	"fmt"
	"time"
)

type quote struct {
	item  string
	price int
}

// askSupplier answers slowly for some items.
func askSupplier(item string, out chan quote) {
	delay := time.Millisecond
	if len(item)%2 == 0 {
		delay = 50 * time.Millisecond
	}
	time.Sleep(delay)
	out <- quote{item, 100 + len(item)} // blocks forever once fetchQuote has given up
}

func fetchQuote(item string) (quote, error) {
	out := make(chan quote) // should be make(chan quote, 1)
	go askSupplier(item, out)
	select {
	case q := <-out:
		return q, nil
	case <-time.After(10 * time.Millisecond):
		return quote{}, fmt.Errorf("%s: supplier timed out", item)
	}
}

func refreshCache(ctx context.Context) {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
		case <-ctx.Done():
			return
		}
	}
}

func auditor(log chan string) {
	for entry := range log {
		_ = entry
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel // never called
	go refreshCache(ctx)

	audit := make(chan string)
	for i := 0; i < 3; i++ {
		go auditor(audit)
	}

	for _, item := range []string{"apple", "pear", "plum", "kiwi", "melon"} {
		q, err := fetchQuote(item)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		audit <- q.item
		fmt.Printf("%s: %d\n", q.item, q.price)
	}
	time.Sleep(60 * time.Millisecond) // the slow suppliers answer, to nobody
}
