package sync_test

import "sync"

// The runtime semaphore the standard tests reach through sync's export_test.go, made of a mutex and a cond.
var semMu sync.Mutex
var semCond = sync.NewCond(&semMu)

func Runtime_Semacquire(s *uint32) {
	semMu.Lock()
	for *s == 0 {
		semCond.Wait()
	}
	*s--
	semMu.Unlock()
}

func Runtime_Semrelease(s *uint32, handoff bool, skip int) {
	semMu.Lock()
	*s++
	semMu.Unlock()
	semCond.Broadcast()
}
