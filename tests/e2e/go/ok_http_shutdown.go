// An HTTP server and client on loopback, both ended before exit: the client's idle keep-alive connections by
// CloseIdleConnections, the server by Shutdown (its Serve loop returns ErrServerClosed). Nothing is reported.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^hello 3$
// STDOUT: ^serve: http: Server closed$
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	})}
	done := make(chan error)
	go func() { done <- srv.Serve(ln) }()
	n := 0
	for i := 0; i < 3; i++ {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) == "hello" {
			n++
		}
	}
	fmt.Println("hello", n)
	http.DefaultClient.CloseIdleConnections()
	srv.Shutdown(context.Background())
	fmt.Println("serve:", <-done)
}
