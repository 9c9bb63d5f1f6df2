// Two goroutines write one map without a lock: Go's "fatal error: concurrent map writes" names the one that
// noticed; the report shows both writers as the program died (and main, waiting for them), exit status 2.
// BUILD: gc    (gccgo-12's maps do not detect concurrent writes)
// CPUS: 2     (on one CPU the two writers never run at once: Go cannot see them collide)
// STDOUT-VARIES
// EXIT: 2
// EXPECT: ^fatal error: concurrent map writes$
// EXPECT: ^leakcheck: the program died, with these goroutines \(3 in 3 groups\)$
// EXPECT-COUNT: 2 ^    main\.record +.*map_writes_crash\.go:22( |$)
// EXPECT: ^  created by main\.main +.*map_writes_crash\.go:30 +\(goroutine 1\)$
// EXPECT: ^  created by main\.main +.*map_writes_crash\.go:31 +\(goroutine 1\)$
// EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in sync\.WaitGroup\.Wait on WaitGroup 0x[0-9a-f]+\]$
// EXPECT: ^    main\.main +.*map_writes_crash\.go:32( |$)
// EXPECT: ^leakcheck: 3 goroutines when it died, 0 misuse; exit status 2$
package main

import "sync"

func record(hits map[int]int, from int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 100000000; i++ {
		hits[from+i%64]++
	}
}

func main() {
	hits := map[int]int{}
	var wg sync.WaitGroup
	wg.Add(2)
	go record(hits, 0, &wg)
	go record(hits, 1000, &wg)
	wg.Wait()
}
