package screen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestModelStopsOnKeysAndEndsWithTheFinalFrame: q, Esc and Ctrl-C ask the
// demo to stop (the screen keeps drawing until the demo ends it), and the
// end draws the final frame, which fits the terminal.
func TestModelStopsOnKeysAndEndsWithTheFinalFrame(t *testing.T) {
	for name, key := range map[string]string{"q": "q", "Esc": "\x1b", "Ctrl-C": "\x03"} {
		stopped := 0
		m := model{show: fixtureShow(t, "en"), styles: NoStyles(), stop: func() { stopped++ }}
		m.keys([]byte(key))
		if stopped != 1 || m.final {
			t.Errorf("%s: stop called %d times, final %v; want stop called once and the screen still running", name, stopped, m.final)
		}
		m.resize(100, 30)
		m.end(fixtureSnapshot(72))
		if !m.final {
			t.Fatalf("%s: the end must make the frame final", name)
		}
		view := m.view()
		if !strings.Contains(view, "finished at +1m12s") || strings.Count(view, "\n") > 30 {
			t.Errorf("%s: the final frame must say it finished and fit the terminal:\n%s", name, view)
		}
		for _, l := range strings.Split(view, "\n") {
			if ansi.StringWidth(l) > 100 {
				t.Errorf("%s: line wider than the terminal: %q", name, l)
			}
		}
		m.update(fixtureSnapshot(30))
		m.keys([]byte("q"))
		if !strings.Contains(m.view(), "finished at +1m12s") || stopped != 1 {
			t.Errorf("%s: after the end, snapshots and keys must change nothing (stop called %d times)", name, stopped)
		}
	}
}

// TestHasStopKeySkipsEscapeSequences: arrows, function keys and Alt-q are
// escape sequences, not Esc or q.
func TestHasStopKeySkipsEscapeSequences(t *testing.T) {
	for in, want := range map[string]bool{
		"q": true, "\x1b": true, "\x03": true, "xq": true, "\x1b[Aq": true, "\x1b\x1b": true,
		"x": false, "Q": false, "\x1b[A": false, "\x1b[1;5C": false, "\x1bOQ": false, "\x1bq": false, "": false,
	} {
		if got := hasStopKey([]byte(in)); got != want {
			t.Errorf("hasStopKey(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestRedrawGoesBackOverThePreviousFrame: a redraw moves up over the previous
// frame's lines, rewrites each line erasing what the old one had right of
// it, and erases what the old frame had below the new one.
func TestRedrawGoesBackOverThePreviousFrame(t *testing.T) {
	b, lines := redraw("one\ntwo\n", 5, 0)
	want := "\r\x1b[5A" + "one\x1b[K\r\n" + "two\x1b[K\r\n" + "\x1b[J"
	if string(b) != want || lines != 2 {
		t.Errorf("redraw after a 5-line frame = %q, %d lines; want %q, 2 lines", b, lines, want)
	}
	if b, _ := redraw("one\n", 0, 0); string(b) != "\rone\x1b[K\r\n\x1b[J" {
		t.Errorf("first frame = %q; want no cursor move", b)
	}
	// A full-width line is not erased after: that would blank its last cell.
	if b, _ := redraw("abc\nab\n", 0, 3); string(b) != "\rabc\r\nab\x1b[K\r\n\x1b[J" {
		t.Errorf("redraw on a 3-cell terminal = %q", b)
	}
}

// TestRunDrawsUntilEnd runs the screen over a pipe and a buffer, neither a
// terminal: it draws a frame at the start and for each snapshot, a key stops
// the demo while the screen goes on, End draws the final frame and returns,
// the cursor is shown again at the end, and keys after the end are dropped.
func TestRunDrawsUntilEnd(t *testing.T) {
	inR, inW := io.Pipe()
	defer inW.Close()
	out := &syncBuffer{}
	var stops atomic.Int32
	p := NewProgram(fixtureShow(t, "en"), inR, out, func() { stops.Add(1) })
	ran := make(chan error, 1)
	go func() { ran <- p.Run() }()

	out.waitFor(t, "+0s /")
	first := out.String()
	if !strings.HasPrefix(first, hideCursor) {
		t.Errorf("Run must hide the cursor first; output starts %q", first[:min(len(first), 20)])
	}
	if _, err := inW.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "q calls stop", func() bool { return stops.Load() == 1 })

	p.Update(fixtureSnapshot(30))
	out.waitFor(t, "+30s /")
	firstLines := strings.Count(first, "\r\n")
	if up := fmt.Sprintf("\x1b[%dA", firstLines); !strings.Contains(out.String()[len(first):], up) {
		t.Errorf("the second frame must go up over the first's %d lines (%q)", firstLines, up)
	}

	p.End(fixtureSnapshot(72))
	select {
	case err := <-ran:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after End")
	}
	all := out.String()
	if !strings.Contains(all, "finished at +1m12s") || !strings.HasSuffix(all, showCursor) {
		t.Errorf("Run must end with the final frame and the cursor shown; output ends %q", all[max(0, len(all)-200):])
	}

	// The key reader may still be in a Read; what it gets now is dropped.
	wrote := make(chan error, 1)
	go func() { _, err := inW.Write([]byte("q")); wrote <- err }()
	select {
	case <-wrote:
	case <-time.After(5 * time.Second):
		t.Fatal("nothing reads the input after the end: the key reader is stuck")
	}
	waitUntil(t, "the key reader has returned", func() bool {
		buf := make([]byte, 1<<20)
		return !bytes.Contains(buf[:runtime.Stack(buf, true)], []byte("screen.readKeys"))
	})
	p.Update(fixtureSnapshot(80)) // must not block either
	if stops.Load() != 1 || out.String() != all {
		t.Errorf("after the end: stop called %d times, output grew %q", stops.Load(), out.String()[len(all):])
	}
}

// TestRunReturnsWhenTheTerminalFails: a write error ends Run with the error,
// and the drill's later snapshots do not block.
func TestRunReturnsWhenTheTerminalFails(t *testing.T) {
	broken := errors.New("broken")
	p := NewProgram(fixtureShow(t, "en"), nil, failingWriter{broken}, func() {})
	if err := p.Run(); !errors.Is(err, broken) {
		t.Errorf("Run = %v, want the write error", err)
	}
	p.Update(fixtureSnapshot(30))
	p.End(fixtureSnapshot(72))
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// syncBuffer is a bytes.Buffer that Run writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) waitFor(t *testing.T, text string) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("output has %q", text), func() bool { return strings.Contains(s.String(), text) })
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}
