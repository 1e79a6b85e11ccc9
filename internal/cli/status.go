package cli

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/kind/pkg/log"
)

// Status prints one line per step: "• step ..." when it starts (plain output
// only; a terminal gets a spinner instead), then "✓ step 24s" or "✗ step 24s".
type Status struct {
	logger  log.Logger
	spinner *Spinner
	now     func() time.Time
	ok, bad string

	// notes serialises Note: concurrent faults each stop and restart the
	// spinner around their line.
	notes sync.Mutex

	mu     sync.Mutex
	step   string
	detail string
	start  time.Time
}

// StatusForLogger returns a Status writing through l. It spins and colours
// only when l is a *Logger on a smart terminal, as kind's StatusForLogger does.
func StatusForLogger(l log.Logger) *Status {
	s := &Status{logger: l, now: time.Now, ok: " ✓ %s %s", bad: " ✗ %s %s"}
	if cl, isCLI := l.(*Logger); isCLI {
		if s.spinner = cl.spinnerOrNil(); s.spinner != nil {
			s.ok, s.bad = " \x1b[32m✓\x1b[0m %s %s", " \x1b[31m✗\x1b[0m %s %s"
		}
	}
	return s
}

// Start ends the current step successfully, if any, and begins a new one.
func (s *Status) Start(step string) {
	s.End(true)
	s.mu.Lock()
	s.step, s.detail, s.start = step, "", s.now()
	s.mu.Unlock()
	if s.spinner != nil {
		s.spinner.Start(s.line)
		return
	}
	s.logger.V(0).Infof(" • %s ...", step)
}

// End finishes the current step with ✓ (success) or ✗; a no-op without one.
func (s *Status) End(success bool) {
	s.mu.Lock()
	step, elapsed := s.step, s.now().Sub(s.start)
	s.step = ""
	s.mu.Unlock()
	if step == "" {
		return
	}
	if s.spinner != nil {
		s.spinner.Stop()
	}
	format := s.ok
	if !success {
		format = s.bad
	}
	s.logger.V(0).Infof(format, step, FormatDuration(elapsed))
}

// Note prints a line that must be seen whatever the verbosity, under the
// current step: a fault check put on a container and took back. A
// spinner stops for it and goes on below it.
func (s *Status) Note(text string) {
	s.notes.Lock()
	defer s.notes.Unlock()
	s.mu.Lock()
	spinning := s.spinner != nil && s.step != ""
	s.mu.Unlock()
	if spinning {
		s.spinner.Stop()
	}
	s.logger.V(0).Infof("   · %s", strings.TrimSpace(text))
	if spinning {
		s.spinner.Start(s.line)
	}
}

// Retitle renames the current step, for when what it did is known only at
// its end ("Reusing cluster probedrill" → "Reusing cluster probedrill (multi, v1.37.2)").
func (s *Status) Retitle(step string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.step != "" {
		s.step = step
	}
}

// Detail shows what the current step is doing right now: in the spinner on a
// terminal, as a debug line (-v 1) otherwise.
func (s *Status) Detail(text string) {
	s.mu.Lock()
	s.detail = strings.TrimSpace(text)
	s.mu.Unlock()
	if s.spinner == nil {
		s.logger.V(1).Info(text)
	}
}

// line is the spinner's text: the step, its running clock and the detail.
func (s *Status) line() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	text := fmt.Sprintf("%s %s", s.step, FormatDuration(s.now().Sub(s.start)))
	if s.detail != "" {
		text += " · " + s.detail
	}
	return text
}

// FormatDuration renders a step's duration: "0.4s" under a second, whole
// seconds after that ("24s", "1m5s").
func FormatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
