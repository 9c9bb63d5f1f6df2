// A three-stage pipeline where every stage closes its output when its input is drained: nothing leaks.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^sum of squares 328350$
package main

import "fmt"

func generate(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i
		}
	}()
	return out
}

func square(in <-chan int) <-chan int {
	out := make(chan int, 8)
	go func() {
		defer close(out)
		for v := range in {
			out <- v * v
		}
	}()
	return out
}

func main() {
	sum := 0
	for v := range square(generate(100)) {
		sum += v
	}
	fmt.Println("sum of squares", sum)
}
