package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"sigs.k8s.io/kind/pkg/log"
)

// Logger writes kind-style log lines: V(0) and warnings plainly, V(1) and up
// only when the verbosity allows, each message on its own line.
type Logger struct {
	mu        sync.Mutex
	w         io.Writer
	spinner   *Spinner // non-nil only on a smart terminal
	verbosity atomic.Int32
}

var _ log.Logger = (*Logger)(nil)

// NewLogger returns a logger writing to w, with a spinner when w is a smart terminal.
func NewLogger(w io.Writer, verbosity log.Level) *Logger {
	l := &Logger{}
	l.SetWriter(w)
	l.SetVerbosity(verbosity)
	return l
}

// SetWriter redirects the output (kind's root command calls this for --quiet).
func (l *Logger) SetWriter(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w, l.spinner = w, nil
	if IsSmartTerminal(w) {
		l.spinner = NewSpinner(w)
		l.w = l.spinner
	}
}

// SetVerbosity sets the highest V level that is printed.
func (l *Logger) SetVerbosity(v log.Level) { l.verbosity.Store(int32(v)) }

// ColorEnabled reports whether the output is a smart terminal.
func (l *Logger) ColorEnabled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.spinner != nil
}

func (l *Logger) spinnerOrNil() *Spinner {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.spinner
}

func (l *Logger) print(msg string) {
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, msg)
}

// Warn prints a user-facing warning.
func (l *Logger) Warn(msg string) { l.print(msg) }

// Warnf prints a user-facing warning.
func (l *Logger) Warnf(format string, args ...any) { l.print(fmt.Sprintf(format, args...)) }

// Error prints an error message.
func (l *Logger) Error(msg string) { l.print(msg) }

// Errorf prints an error message.
func (l *Logger) Errorf(format string, args ...any) { l.print(fmt.Sprintf(format, args...)) }

// V returns an InfoLogger that prints only when level ≤ the verbosity.
func (l *Logger) V(level log.Level) log.InfoLogger {
	return infoLogger{l: l, level: level, enabled: int32(level) <= l.verbosity.Load()}
}

type infoLogger struct {
	l       *Logger
	level   log.Level
	enabled bool
}

func (i infoLogger) Enabled() bool { return i.enabled }

func (i infoLogger) Info(msg string) {
	if !i.enabled {
		return
	}
	if i.level > 0 {
		msg = "DEBUG: " + msg
	}
	i.l.print(msg)
}

func (i infoLogger) Infof(format string, args ...any) { i.Info(fmt.Sprintf(format, args...)) }
