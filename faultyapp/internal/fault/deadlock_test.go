package fault

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// stuckIn counts goroutines whose stack shows them waiting to lock a mutex
// inside lockPair.enter.
func stuckIn() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "sync.(*Mutex).Lock") && strings.Contains(g, "(*lockPair).enter") {
			n++
		}
	}
	return n
}

func TestDeadlockIsReal(t *testing.T) {
	var l lockPair
	returned := make(chan struct{})
	go func() { l.enter(); close(returned) }() // the first deadlocked request
	go func() { l.enter(); close(returned) }() // a later one, stuck behind it
	deadline := time.Now().Add(waitLimit)
	for stuckIn() < 4 { // two requests, each with its worker goroutine
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines blocked on the mutexes, want 4", stuckIn())
		}
		runtime.Gosched()
	}
	if l.accounts.TryLock() || l.audit.TryLock() {
		t.Error("a mutex is free: not deadlocked")
	}
	select {
	case <-returned:
		t.Error("a deadlocked request returned")
	default:
	}
}
