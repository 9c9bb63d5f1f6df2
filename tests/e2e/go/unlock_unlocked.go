// Unlock of a mutex that is not locked is a fatal error in Go (not recoverable): the program dies with
// status 2, and the report still names the site.
// EXIT: 2
// STDOUT-VARIES
// EXPECT: ^fatal error: sync: unlock of unlocked mutex$
// GCCGO-EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// GC-EXPECT: ^leakcheck: the program died, with these goroutines \(1 in 1 groups, 1 misuse\)$
// EXPECT: ^\[unlock of unlocked mutex.*\]$
// EXPECT: ^  at: main\.\(\*account\)\.withdraw +.*unlock_unlocked\.go:28 +\(goroutine 1\)$
// GCCGO-EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 2$
// GC-EXPECT: ^leakcheck: 1 goroutine when it died, 1 misuse; exit status 2$
package main

import "fmt"
import "sync"

type account struct {
	mu      sync.Mutex
	balance int
}

func (a *account) withdraw(n int) {
	a.mu.Lock()
	if n > a.balance {
		a.mu.Unlock()
	}
	a.balance -= n
	a.mu.Unlock()
}

func main() {
	a := &account{balance: 10}
	a.withdraw(20)
	fmt.Println("balance", a.balance)
}
