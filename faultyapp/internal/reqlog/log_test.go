package reqlog

import (
	"bytes"
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

// lineWriter records each Write call, to check that one line is one write.
type lineWriter struct {
	mu     sync.Mutex
	writes []string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func TestConcurrentLinesStayWhole(t *testing.T) {
	w := &lineWriter{}
	l := New(w)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			l.Request(Request{N: int64(i), Method: "GET", Path: "/", Status: 200, Remote: "r"})
		})
	}
	wg.Wait()
	if len(w.writes) != 50 {
		t.Fatalf("%d writes, want 50", len(w.writes))
	}
	for _, s := range w.writes {
		if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, " GET / 200 from r\n") {
			t.Errorf("torn line %q", s)
		}
	}
}
