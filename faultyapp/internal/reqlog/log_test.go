package reqlog

import (
	"bytes"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func fixed(out *bytes.Buffer) *Logger {
	l := New(out)
	l.now = func() time.Time { return time.Date(2026, 1, 2, 15, 4, 5, 123e6, time.UTC) }
	return l
}

func TestRequestLine(t *testing.T) {
	cases := []struct {
		r    Request
		want string
	}{
		{Request{N: 6, Method: "GET", Path: "/", Status: 500, Remote: "10.244.0.1:53422", Agent: "kube-probe/1.37"},
			"2026-01-02T15:04:05.123Z #6 GET / 500 from 10.244.0.1:53422 kube-probe/1.37\n"},
		{Request{N: 7, Method: "POST", Path: "/grpc.health.v1.Health/Check", Status: 200, Note: "NOT_SERVING", Remote: "1.2.3.4:5", Agent: "kube-probe/1.37 grpc-go/1.80"},
			"2026-01-02T15:04:05.123Z #7 POST /grpc.health.v1.Health/Check 200 NOT_SERVING from 1.2.3.4:5 kube-probe/1.37\n"},
		{Request{N: 8, Method: "GET", Path: "/a\nb", Note: "hang", Remote: "r"},
			"2026-01-02T15:04:05.123Z #8 GET /a?b hang from r\n"},
		{Request{N: 9, Method: "GET", Path: "/" + strings.Repeat("x", 100), Status: 200, Remote: "r"},
			"2026-01-02T15:04:05.123Z #9 GET /" + strings.Repeat("x", 79) + "... 200 from r\n"},
	}
	for _, tc := range cases {
		var out bytes.Buffer
		fixed(&out).Request(tc.r)
		if out.String() != tc.want {
			t.Errorf("got  %q\nwant %q", out.String(), tc.want)
		}
	}
}

func TestEvent(t *testing.T) {
	var out bytes.Buffer
	fixed(&out).Eventf("fault %s: request %d -> now answering 500", "fail-after", 6)
	want := "2026-01-02T15:04:05.123Z fault fail-after: request 6 -> now answering 500\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// writes records each Write call.
type writes struct {
	mu    sync.Mutex
	calls []string
	gate  chan struct{} // if set, the first Write waits for it
}

func (w *writes) Write(p []byte) (int, error) {
	if w.gate != nil {
		<-w.gate
		w.gate = nil // only the first call ever writes while it is set
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, string(p))
	return len(p), nil
}

func TestConcurrentLinesStayWholeAndAllArrive(t *testing.T) {
	w := &writes{}
	l := New(w)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			l.Request(Request{N: int64(i), Method: "GET", Path: "/", Status: 200, Remote: "r"})
		})
	}
	wg.Wait()
	l.Flush()
	all := strings.Join(w.calls, "")
	lines := strings.Split(strings.TrimSuffix(all, "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("%d lines, want 50", len(lines))
	}
	for _, s := range lines {
		if !strings.HasSuffix(s, " GET / 200 from r") {
			t.Errorf("torn line %q", s)
		}
	}
	for _, c := range w.calls {
		if !strings.HasSuffix(c, "\n") {
			t.Errorf("a write ends mid-line: %q", c)
		}
	}
}

// While one write is in progress, later lines queue and go out together,
// in order, in the next write.
func TestGroupCommit(t *testing.T) {
	w := &writes{gate: make(chan struct{})}
	l := fixed(&bytes.Buffer{})
	l.out = w
	first := make(chan struct{})
	go func() { l.Event("one"); close(first) }()
	for { // wait until "one" is being written
		l.mu.Lock()
		busy := l.flushing
		l.mu.Unlock()
		if busy {
			break
		}
		runtime.Gosched()
	}
	l.Event("two") // a write is in progress: queued, returns at once
	l.Event("three")
	close(w.gate)
	<-first
	l.Flush()
	want := []string{
		"2026-01-02T15:04:05.123Z one\n",
		"2026-01-02T15:04:05.123Z two\n2026-01-02T15:04:05.123Z three\n",
	}
	if len(w.calls) != 2 || w.calls[0] != want[0] || w.calls[1] != want[1] {
		t.Errorf("writes = %q\nwant %q", w.calls, want)
	}
}
