// fetch() reads the status of a response and never closes its body: the connection can neither be reused nor
// closed, and its two goroutines stay (readLoop waits for the body to be consumed, writeLoop for the next
// request) though the program closed its idle connections and its server. Both are reported, created by the
// Transport on behalf of fetch's http.Get. The channel a select is shown on is one of its cases: for gccgo the
// first in the source, for gc the one at the lowest address (the runtime queues a select's waits in that order).
// The second "created by" (main.fetch, which started the dialer) is gc's only: under gccgo the dialer may spawn
// the loops before its own spawner has filed it, and the loops then have no grandparent.
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected goroutines \(2 leaked in 2 groups\)$
// EXPECT-COUNT: 2 ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in select on chan 0x[0-9a-f]+ \((buffered cap [12]|unbuffered), never closed\)\]$
// GCCGO-EXPECT: ^\[1 goroutine blocked for [0-9]+\.[0-9]{2}s in select on chan 0x[0-9a-f]+ \(buffered cap 2, never closed\)\]$
// EXPECT: ^    net/http\.\(\*persistConn\)\.readLoop +.*net/http/transport\.go:[0-9]+$
// EXPECT: ^    net/http\.\(\*persistConn\)\.writeLoop +.*net/http/transport\.go:[0-9]+$
// EXPECT-COUNT: 2 ^  created by net/http\.\(\*Transport\)\.dialConn +.*net/http/transport\.go:[0-9]+ +\(goroutine [0-9]+\)$
// GC-EXPECT-COUNT: 2 ^  created by main\.fetch +.*http_body_not_closed\.go:27 +\(goroutine 1\)$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// STDOUT: ^status 200$
package main

import (
	"fmt"
	"net"
	"net/http"
)

func fetch(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		panic(err)
	}
	return resp.StatusCode // the body is never read nor closed
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 1<<16))
	})}
	done := make(chan error)
	go func() { done <- srv.Serve(ln) }()
	fmt.Println("status", fetch("http://"+ln.Addr().String()+"/"))
	http.DefaultClient.CloseIdleConnections()
	srv.Close()
	<-done
}
