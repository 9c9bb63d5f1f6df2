// close() of a channel field that was never made: Go panics (recovered here); the site is reported.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[close of nil channel\]$
// EXPECT: ^  at: main\.\(\*pool\)\.shutdown +.*close_nil\.go:22 +\(goroutine 1\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^shutdown failed: close of nil channel$
package main

import "fmt"

type pool struct {
	done chan bool
}

func (p *pool) shutdown() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	close(p.done)
	return nil
}

func main() {
	p := &pool{}
	if err := p.shutdown(); err != nil {
		fmt.Println("shutdown failed:", err)
	}
}
