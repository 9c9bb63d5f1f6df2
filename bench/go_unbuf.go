// Unbuffered channel ping-pong: two goroutines bounce a value over two unbuffered channels; every round trip
// is two sends and two receives that each park and wake a goroutine. ns_per_op is per round trip.
package main

import (
	"fmt"
	"os"
	"strconv"
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

func main() {
	n := iterations(200000)
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	run := func(k int) {
		for i := 0; i < k; i++ {
			ping <- i
			<-pong
		}
	}
	run(n / 20)
	start := time.Now()
	run(n)
	el := time.Since(start)
	close(ping)
	<-pong
	fmt.Printf("ns_per_op %.1f\n", float64(el.Nanoseconds())/float64(n))
}
