package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// spinnerFrames are kind's (pkg/internal/cli/spinner.go, v0.33.0).
var spinnerFrames = []string{
	"⠈⠁", "⠈⠑", "⠈⠱", "⠈⡱", "⢀⡱", "⢄⡱", "⢄⡱", "⢆⡱",
	"⢎⡱", "⢎⡰", "⢎⡠", "⢎⡀", "⢎⠁", "⠎⠁", "⠊⠁",
}

// frameFormat redraws the line in place; \x1b[?7l turns line wrapping off
// while drawing so a long suffix cannot scroll the terminal.
const frameFormat = "\x1b[?7l\r%s %s\x1b[K\x1b[?7h"

const frameInterval = 100 * time.Millisecond

// Spinner animates one status line on a terminal. It is an io.Writer so that
// log lines written while it spins land on a line of their own.
type Spinner struct {
	mu      sync.Mutex
	w       io.Writer
	text    func() string
	stop    chan struct{}
	stopped chan struct{}
}

// NewSpinner returns a stopped spinner drawing on w.
func NewSpinner(w io.Writer) *Spinner {
	return &Spinner{w: w}
}

// Start animates text() (called on every frame, so it may show a clock) until Stop.
func (s *Spinner) Start(text func() string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		s.text = text
		return
	}
	s.text = text
	s.stop, s.stopped = make(chan struct{}), make(chan struct{})
	go s.run(s.stop, s.stopped)
}

func (s *Spinner) run(stop, stopped chan struct{}) {
	defer close(stopped)
	ticker := time.NewTicker(frameInterval)
	defer ticker.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-ticker.C:
			s.mu.Lock()
			fmt.Fprintf(s.w, frameFormat, spinnerFrames[i%len(spinnerFrames)], s.text())
			s.mu.Unlock()
		}
	}
}

// Stop ends the animation and clears the line it drew.
func (s *Spinner) Stop() {
	s.mu.Lock()
	stop, stopped := s.stop, s.stopped
	s.stop = nil
	s.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-stopped
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprint(s.w, "\r\x1b[K")
}

// Write clears the spinner's line first, so p starts at column 0.
func (s *Spinner) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		if _, err := fmt.Fprint(s.w, "\r\x1b[K"); err != nil {
			return 0, err
		}
	}
	return s.w.Write(p)
}
