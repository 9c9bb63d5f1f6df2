// Goroutines recurse thousands of frames deep, across many split-stack segment boundaries, and block on
// channels down there, many times over: capturing their stacks must not crash, and the correct program
// reports nothing.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^total 
package main

import "fmt"

//go:noinline
func descend(depth int, gate chan int, out chan int) int {
	var pad [1024]byte
	pad[depth%1024] = byte(depth)
	if depth == 0 {
		v := <-gate // parks deep down
		out <- v
		return int(pad[0])
	}
	return descend(depth-1, gate, out) + int(pad[depth%1024])
}

func main() {
	total := 0
	for round := 0; round < 5; round++ {
		gate, out := make(chan int), make(chan int)
		done := make(chan int)
		for g := 0; g < 20; g++ {
			go func(g int) { done <- descend(3000+g*97+round*13, gate, out) }(g)
		}
		for g := 0; g < 20; g++ {
			gate <- g
			total += <-out
		}
		for g := 0; g < 20; g++ {
			total += <-done
		}
	}
	fmt.Println("total", total)
}
