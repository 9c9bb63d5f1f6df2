// Suppressions on a gccgo program (drivers/suppress.sh): goroutines left blocked on a results channel and a
// channel closed twice; each rule silences exactly its finding, and with both silenced the exit status is 0.
// DRIVER: ../drivers/suppress.sh
// ENV: LEAK_FN=main.fetch
// ENV: CREATOR_FN=main.fanOut
// ENV: MISUSE_KIND=double_close
// ENV: MISUSE_FN=main.(*conn).Close
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^none: exit 66$
// EXPECT: ^none: leakcheck: found unexpected goroutines \(3 leaked in 1 groups?, 1 misuse\)$
// EXPECT: ^leak: exit 66$
// EXPECT: ^leak: leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^leak: \[double close of chan 0x[0-9a-f]+\]$
// EXPECT: ^leak:   3 leak:main\.fetch$
// EXPECT: ^misuse: exit 66$
// EXPECT: ^misuse: leakcheck: found unexpected goroutines \(3 leaked in 1 groups?\)$
// EXPECT: ^misuse:   1 double_close:main\.\(\*conn\)\.Close$
// EXPECT: ^all: exit 0$
// EXPECT: ^malformed: exit 0$
// EXPECT: ^malformed: leakcheck: OUT/supp\.malformed:3: unknown kind 'lek' \(valid: leak, .*\)$
// EXPECT-COUNT: 2 ^malformed: 
// EXPECT: ^nomatch: exit 66$
// EXPECT: ^ignore_top: leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^verbose: exit 0$
// EXPECT: ^verbose: leakcheck: no leaks \(pid [0-9]+, 4 suppressed\)$
// EXPECT: ^clean-json: exit 0$
// EXPECT: ^clean-json: files 0$
// EXPECT: ^clean-json-v2: leakcheck: json report written to OUT/clean2\.[0-9]+\.json$
// EXPECT: ^clean-json-v2: files 1$
// EXPECT-COUNT: 2 ^clean-json: 
// REJECT: ^(all|malformed): leakcheck: found
// REJECT: ^(leak|ignore_top): \[3 goroutines
// REJECT: ^misuse: \[double close
package main

import (
	"fmt"
	"time"
)

type conn struct{ done chan struct{} }

func (c *conn) Close() {
	defer func() { recover() }()
	close(c.done)
}

func fetch(i int, results chan int) {
	results <- i * i
}

// fanOut starts one fetch per item and takes the first answer: the others stay blocked on results.
func fanOut(n int) int {
	results := make(chan int)
	for i := 1; i <= n; i++ {
		go fetch(i, results)
	}
	return <-results
}

func main() {
	fmt.Println("first:", fanOut(4) > 0)
	time.Sleep(20 * time.Millisecond)
	c := &conn{done: make(chan struct{})}
	c.Close()
	c.Close()
}
