// `LD_PRELOAD=libleakcheck.so go test`: the go command is a launcher, left alone (its own signal watcher used
// to be reported, and go exited 66 with every test passing), and the test binary it runs is checked as if run
// directly: the leaky test's goroutine is named, with the test, and go test fails. A passing package stays
// quiet, and so does a go command that runs no test (vet).
// BUILD: gc
// DRIVER: go_test_preload.sh
// EXIT: 0
// EXPECT: ^go test clean: exit 0 0 leakcheck lines$
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
// EXPECT: ^    example\.com/leakytests\.Start\.func1 +.*go-test-pkg/queue\.go:9( |$)
// EXPECT: ^  test: TestLeaky$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT: ^FAIL	example\.com/leakytests
// EXPECT: ^go test leaky: exit 1$
// EXPECT: ^go vet: exit 0 0 leakcheck lines$
// EXPECT-COUNT: 1 ^leakcheck: found
package main

func main() {}
