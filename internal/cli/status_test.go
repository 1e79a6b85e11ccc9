package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock advances by step on every reading.
func fakeClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := time.Unix(0, 0)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
}

func TestStatusPlainLines(t *testing.T) {
	var out bytes.Buffer
	s := StatusForLogger(NewLogger(&out, 0))
	s.now = fakeClock(3 * time.Second)
	s.Start("Creating cluster probedrill (single, v1.37.2)")
	s.Start("Loading probedrill/faultyapp:v0.1.0")
	s.Detail("at verbosity 0 a detail is not printed")
	s.Note("freeze: SIGSTOP to 3 processes ")
	s.End(false)
	s.End(true) // no step: nothing
	want := strings.Join([]string{
		" • Creating cluster probedrill (single, v1.37.2) ...",
		" ✓ Creating cluster probedrill (single, v1.37.2) 3s",
		" • Loading probedrill/faultyapp:v0.1.0 ...",
		"   · freeze: SIGSTOP to 3 processes",
		" ✗ Loading probedrill/faultyapp:v0.1.0 3s",
		"",
	}, "\n")
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		400 * time.Millisecond: "0.4s",
		24*time.Second + 400e6: "24s",
		65 * time.Second:       "1m5s",
		2*time.Second + 600e6:  "3s",
		0:                      "0.0s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// ttyBuffer is a bytes.Buffer the logger takes for a smart terminal.
type ttyBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (t *ttyBuffer) isFakeTTY() {}
func (t *ttyBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.Write(p)
}
func (t *ttyBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}

func TestStatusSpinsOnTerminal(t *testing.T) {
	t.Setenv("TERM", "xterm")
	out := &ttyBuffer{}
	l := NewLogger(out, 0)
	if !l.ColorEnabled() {
		t.Fatal("a fake TTY should enable the spinner")
	}
	s := StatusForLogger(l)
	s.Start("Waiting for nodes Ready and DNS")
	s.Detail("Starting control-plane 🕹️")
	// a frame shows the detail; no sleep, a loaded machine may draw late
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "Starting control-plane"); {
		if time.Now().After(deadline) {
			t.Fatalf("no frame with the detail after 10 s: %q", out.String())
		}
		time.Sleep(frameInterval / 10)
	}
	s.End(true)
	got := out.String()
	for _, want := range []string{"\x1b[32m✓\x1b[0m Waiting for nodes Ready and DNS"} {
		if !strings.Contains(got, want) {
			t.Errorf("output %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, " • ") {
		t.Errorf("a terminal gets a spinner, not a start line: %q", got)
	}
}

func TestSmartTerminalRules(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1], true
				}
			}
			return "", false
		}
	}
	cases := []struct {
		name string
		w    any
		env  func(string) (string, bool)
		want bool
	}{
		{"buffer", &bytes.Buffer{}, env("TERM", "xterm"), false},
		{"tty", &ttyBuffer{}, env("TERM", "xterm"), true},
		{"no colour", &ttyBuffer{}, env("TERM", "xterm", "NO_COLOR", ""), false},
		{"dumb", &ttyBuffer{}, env("TERM", "dumb"), false},
	}
	for _, c := range cases {
		w := c.w.(interface{ Write([]byte) (int, error) })
		if got := isSmartTerminal(w, c.env); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
