// A generic fan-out: each input is processed by its own goroutine, results come back on an unbuffered channel,
// and the collector returns at the first error. The workers that finish after it block forever in their send.
// BUILD: gc    (generics: gccgo-12 speaks Go 1.18 without type parameters)
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(3 leaked in 1 groups\)$
// EXPECT: ^\[3 goroutines blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in chan send on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^    main\.FanOut\[\.\.\.\]\.func1 +.*gc_generic_fanout\.go:31( |$)
// EXPECT: ^  created by main\.FanOut\[\.\.\.\] +.*gc_generic_fanout\.go:29 +\(goroutine 1\)$
// EXPECT: ^  channel made at main\.FanOut\[\.\.\.\] +.*gc_generic_fanout\.go:27( |$)
// EXPECT: ^leakcheck: 3 leaked, 0 misuse; exit status 66$
// STDOUT: ^first error: bad input 0$
package main

import (
	"errors"
	"fmt"
	"time"
)

type result[T any] struct {
	v   T
	err error
}

// FanOut runs f on every input concurrently and returns the results in completion order, or the first error.
func FanOut[In, Out any](inputs []In, f func(In) (Out, error)) ([]Out, error) {
	results := make(chan result[Out])
	for _, in := range inputs {
		go func(in In) {
			v, err := f(in)
			results <- result[Out]{v, err}
		}(in)
	}
	var out []Out
	for range inputs {
		r := <-results
		if r.err != nil {
			return nil, r.err // the other workers are left blocked in their send
		}
		out = append(out, r.v)
	}
	return out, nil
}

func main() {
	_, err := FanOut([]int{0, 1, 2, 3}, func(i int) (string, error) {
		if i == 0 {
			return "", errors.New("bad input 0")
		}
		time.Sleep(20 * time.Millisecond)
		return fmt.Sprint(i), nil
	})
	fmt.Println("first error:", err)
	time.Sleep(100 * time.Millisecond)
}
