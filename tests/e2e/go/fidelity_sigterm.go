// A hung Go program killed by SIGTERM (a CI timeout), 50 times: each run writes the verdict naming the
// goroutine stuck on a channel, then dies of SIGTERM as without the shim.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_SIGNAL=TERM
// ENV: FIDELITY_RUNS=50
// ENV: FIDELITY_REPORT=^    main\.waitForReply +.*fidelity_sigterm\.go:[0-9]+( |$)
// EXIT: signal 15
// EXPECT: ^status: same \(143\)$
// EXPECT: ^runs: 50 of 50 the same$
// EXPECT: ^reports: 50 of 50$
// EXPECT: ^leakcheck: found unexpected goroutines \(1 leaked in 1 groups\)$
package main

import (
	"fmt"
	"os"
	"time"
)

func waitForReply(reply chan string) {
	fmt.Println(<-reply)
}

func main() {
	reply := make(chan string)
	go waitForReply(reply)
	time.Sleep(20 * time.Millisecond) // hung: the goroutine is blocked by the time the CI gives up
	fmt.Println("ready")
	os.Stdout.Sync()
	time.Sleep(time.Hour)
}
