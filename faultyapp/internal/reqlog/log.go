// Package reqlog writes faultyapp's log: one short line per request and one
// per event (start, fault transitions, signals), so that
// `kubectl logs --previous` tells the story of a killed container.
package reqlog

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Layout is RFC 3339 with milliseconds, in UTC.
const Layout = "2006-01-02T15:04:05.000Z07:00"

const (
	maxPath  = 80 // keep lines projector-sized, whatever a client sends
	maxAgent = 40
)

// Logger writes whole lines, in order, without a goroutine of its own:
// the caller that finds no write in progress writes everything pending (its
// own line and any that others added meanwhile), so under load many lines
// share one write system call (group commit), and when idle every line is
// written before its call returns. Lines never interleave, and a SIGKILL
// (liveness kill, OOM) loses at most the lines of a write in progress.
type Logger struct {
	mu       sync.Mutex
	out      io.Writer
	pending  []byte // lines not yet written
	spare    []byte // the buffer of the last write, reused
	line     []byte // scratch for building one line
	flushing bool   // a caller is writing; it will take pending too
	idle     *sync.Cond
	now      func() time.Time
}

// New returns a Logger writing to out.
func New(out io.Writer) *Logger {
	l := &Logger{out: out, now: time.Now, line: make([]byte, 0, 256)}
	l.idle = sync.NewCond(&l.mu)
	return l
}

// Request is one line of the request log.
type Request struct {
	N      int64  // request number, from 1; every request counts
	Method string // GET
	Path   string // /healthz
	Status int    // HTTP status sent; 0 when none was (hang, deadlock, crash)
	Note   string // e.g. NOT_SERVING, hang, "dependency down"
	Remote string // client address, host:port
	Agent  string // User-Agent; only its first word is logged (kube-probe/1.37)
}

// Request logs one request, e.g.
// `2026-01-02T15:04:05.123Z #6 GET / 500 from 10.244.0.1:53422 kube-probe/1.37`.
func (l *Logger) Request(r Request) {
	l.mu.Lock()
	b := l.stamp()
	b = append(b, " #"...)
	b = strconv.AppendInt(b, r.N, 10)
	b = append(b, ' ')
	b = append(b, r.Method...)
	b = append(b, ' ')
	b = appendCapped(b, r.Path, maxPath)
	if r.Status != 0 {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(r.Status), 10)
	}
	if r.Note != "" {
		b = append(b, ' ')
		b = append(b, r.Note...)
	}
	b = append(b, " from "...)
	b = append(b, r.Remote...)
	if a := firstWord(r.Agent); a != "" {
		b = append(b, ' ')
		b = appendCapped(b, a, maxAgent)
	}
	l.add(b) // unlocks
}

// Event logs one line that is not a request: `<time> <msg>`.
func (l *Logger) Event(msg string) {
	l.mu.Lock()
	b := append(l.stamp(), ' ')
	l.add(append(b, msg...)) // unlocks
}

// Eventf logs one event line built with fmt (events are rare: not hot).
func (l *Logger) Eventf(format string, args ...any) {
	l.Event(fmt.Sprintf(format, args...))
}

// stamp starts a line in the scratch buffer; l.mu is held.
func (l *Logger) stamp() []byte {
	return l.now().UTC().AppendFormat(l.line[:0], Layout)
}

// add queues line b and, unless another caller is writing, writes all that
// is pending. It is called with l.mu held and returns with it released. A
// failed write is dropped: losing a log line must never take the app down
// or change what it answers.
func (l *Logger) add(b []byte) {
	l.pending = append(append(l.pending, b...), '\n')
	l.line = b[:0]
	if l.flushing {
		l.mu.Unlock()
		return
	}
	l.flushing = true
	for len(l.pending) > 0 {
		batch := l.pending
		l.pending = l.spare[:0]
		l.mu.Unlock()
		_, _ = l.out.Write(batch)
		l.mu.Lock()
		l.spare = batch[:0]
	}
	l.flushing = false
	l.idle.Broadcast()
	l.mu.Unlock()
}

// Flush returns once every line logged so far is written: call it before
// the process exits.
func (l *Logger) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.flushing {
		l.idle.Wait()
	}
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// appendCapped appends s, cut to max bytes with "..." and with control
// characters replaced, so one line stays one line.
func appendCapped(b []byte, s string, max int) []byte {
	cut := len(s) > max
	if cut {
		s = s[:max]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c == 0x7f {
			c = '?'
		}
		b = append(b, c)
	}
	if cut {
		b = append(b, "..."...)
	}
	return b
}
