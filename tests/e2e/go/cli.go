// The leakcheck command end to end (cli.sh): help, errors, run, dump, report conversion, go-test.
// DRIVER: cli.sh
// EXIT: 0
// EXPECT: ^help run: exit 0 usage: leakcheck \[--OPTION=VALUE
// EXPECT: ^help dump: exit 0 usage: leakcheck dump PID$
// EXPECT: ^help go-test: exit 0 usage: leakcheck go-test
// EXPECT: ^help report: exit 0 usage: leakcheck report
// EXPECT: ^help options: exit 0 usage: leakcheck options
// EXPECT: ^error report-missing: exit 2, 1 line: leakcheck report: cannot read 'OUT/missing\.json': No such file or directory$
// EXPECT: ^error report-not-ours: exit 2, 1 line: leakcheck report: 'OUT/other\.json' is not a leakcheck JSON report
// EXPECT: ^error report-format: exit 2, 1 line: leakcheck report: argument --format.*invalid choice: 'xml'
// EXPECT: ^error dump-nopid: exit 2, 1 line: leakcheck: dump: no process 999999999$
// EXPECT: ^error dump-noarg: exit 2, 1 line: leakcheck: usage: leakcheck dump PID
// EXPECT: ^error run-missing: exit 2, 1 line: leakcheck: cannot run 'OUT/no-such-program': not an executable file$
// EXPECT: ^error flag-novalue: exit 2, 1 line: leakcheck: option '--exitcode' needs a value
// EXPECT: ^run: exit 66$
// EXPECT: ^run: leakcheck: json report written to OUT/lc\.[0-9]+\.json$
// EXPECT: ^report folded: main\.waitForReply 2$
// EXPECT: ^report text: leakcheck: found unexpected goroutines \(2 leaked in 1 groups\)$
// EXPECT: ^report text: \[2 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan receive on chan 0x[0-9a-f]+ \(unbuffered, never closed\)\]$
// EXPECT: ^report text:     main\.waitForReply +/.*cli\.go:[0-9]+$
// EXPECT: ^report text: leakcheck: 2 leaked, 0 misuse; exit status 66$
// EXPECT: ^report pprof: leakcheck: pprof profiles written to OUT/lc\.[0-9]+\.pb\.gz and OUT/lc\.[0-9]+\.contention\.pb\.gz$
// EXPECT: ^report pprof top: +2 +100% +100% +2 +100% +main\.waitForReply$
// EXPECT: ^dump: leakcheck: live report requested from PID; it goes to OUT/live\.PID$
// EXPECT: ^dump program: pid [0-9]+$
// EXPECT: ^dump: leakcheck: json report: OUT/live\.PID\.json$
// EXPECT: ^dump json: reason dump live True tasks [0-9]+$
// EXPECT: ^dump text: leakcheck: live report \(\.\.\.\)$
// EXPECT: ^dump program: exit 66$
// EXPECT: ^go-test: exit 66$
// EXPECT: ^go-test out: --- PASS: TestClean
// EXPECT: ^go-test out: --- PASS: TestLeaky
// EXPECT: ^go-test err: leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
// EXPECT: ^go-test err:     example\.com/leakytests\.Start\.func1 +.*go-test-pkg/queue\.go:[0-9]+$
// EXPECT: ^go-test err:   test: TestLeaky$
// EXPECT: ^go-test err: leakcheck: test TestLeaky leaked 1 goroutine$
// EXPECT-COUNT: 1 ^go-test err: leakcheck: test 
package main

import (
	"fmt"
	"os"
	"time"
)

// waitForReply waits for a reply nobody sends.
func waitForReply(replies chan string) {
	fmt.Println(<-replies)
}

// startWaiters starts n goroutines that wait for a reply (n is not a constant: one go statement, one group).
func startWaiters(n int) chan string {
	replies := make(chan string)
	for i := 0; i < n; i++ {
		go waitForReply(replies)
	}
	return replies
}

func main() {
	fmt.Println("pid", os.Getpid())
	startWaiters(len(os.Args) + 1)
	if len(os.Args) > 1 && os.Args[1] == "linger" {
		time.Sleep(1500 * time.Millisecond)
	}
}
