// Package verdict judges a drill: Compare lines a predicted timeline up with
// the observed one, and Check evaluates a scenario's expectations against
// what was observed. Both answer in sentences a teacher or a CI log can read.
package verdict

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// Resolution is the slack added on both sides of every predicted window.
// API timestamps (metav1.Time) are serialised in whole seconds, truncated, and
// offsets are the difference of two of them (the entry's and the pod's
// creationTimestamp), so an observed offset can be off by up to one second
// either way.
const Resolution = time.Second

// Status says how one predicted or observed entry fared.
type Status string

const (
	Matched    Status = "matched"     // observed inside the predicted window
	Early      Status = "early"       // observed before the window
	Late       Status = "late"        // observed after the window
	Different  Status = "different"   // observed in time, but exit code or reason differ
	Missing    Status = "missing"     // predicted, not observed
	Unexpected Status = "unexpected"  // observed, not predicted (restarts, kills, exits, deletions)
	NotYetDue  Status = "not-yet-due" // predicted after the comparison horizon
)

// Match is one line of the comparison.
type Match struct {
	Status    Status          `json:"status"`
	Label     string          `json:"label"`
	Predicted *timeline.Entry `json:"predicted,omitempty"`
	Observed  *timeline.Entry `json:"observed,omitempty"`
	// Off is how far outside the window the observation fell: positive when
	// late (past Latest), negative when early (before Earliest).
	Off time.Duration `json:"off,omitempty"`
	// Text says it in words.
	Text string `json:"text"`
}

// OK reports whether the line is a match (or not yet due).
func (m Match) OK() bool { return m.Status == Matched || m.Status == NotYetDue }

// Result is a whole comparison, in time order.
type Result struct {
	Lines      []Match `json:"lines"`
	Matched    int     `json:"matched"`
	Mismatched int     `json:"mismatched"`
}

// OK reports whether everything due was observed in its window and nothing
// unpredicted happened.
func (r Result) OK() bool { return r.Mismatched == 0 }

// Mismatches returns the lines that are not OK.
func (r Result) Mismatches() []Match {
	var out []Match
	for _, m := range r.Lines {
		if !m.OK() {
			out = append(out, m)
		}
	}
	return out
}

// Option tunes Compare.
type Option func(*options)

type options struct{ until time.Duration }

// Until sets the comparison horizon, usually how long the drill has been
// observed: predicted entries whose window opens later are not yet due, and
// observed entries later than it are ignored. Without it every predicted
// entry is due and every observed entry counts.
func Until(d time.Duration) Option { return func(o *options) { o.until = d } }

// Compare lines predicted up with observed. A predicted entry's counterpart
// has the same kind and container instance (the n-th of that pair, for the
// pods of a Deployment); probe failures are matched by order among failures
// of the same probe type, since the kubelet numbers no probe.
func Compare(predicted, observed timeline.Timeline, opts ...Option) Result {
	o := options{until: time.Duration(1<<63 - 1)}
	for _, f := range opts {
		f(&o)
	}
	m := newMatcher(observed, o.until)
	var lines []Match
	for i, p := range predicted.Entries {
		lines = append(lines, m.line(p, m.nth(predicted.Entries[:i+1], p)))
	}
	lines = append(lines, m.unexpected()...)
	slices.SortStableFunc(lines, func(a, b Match) int { return cmp.Compare(lineTime(a), lineTime(b)) })
	return tally(lines)
}

func lineTime(m Match) time.Duration {
	if m.Predicted != nil {
		return m.Predicted.At
	}
	return m.Observed.At
}

func tally(lines []Match) Result {
	r := Result{Lines: lines}
	for _, l := range lines {
		if l.OK() {
			r.Matched++
		} else {
			r.Mismatched++
		}
	}
	return r
}

// bounds is a predicted entry's window; a predictor that left it unset
// predicts the nominal time exactly.
func bounds(e timeline.Entry) (lo, hi time.Duration) {
	if e.Earliest == 0 && e.Latest == 0 {
		return e.At, e.At
	}
	return e.Earliest, e.Latest
}

// judge places an observed time against a predicted window.
func judge(p, obs timeline.Entry, nth int) Match {
	lo, hi := bounds(p)
	m := Match{Status: Matched, Label: label(p, nth), Predicted: &p, Observed: &obs}
	switch {
	case obs.At > hi+Resolution:
		m.Status, m.Off = Late, obs.At-hi
	case obs.At < lo-Resolution:
		m.Status, m.Off = Early, obs.At-lo
	}
	if m.Status != Matched {
		m.Text = fmt.Sprintf("%s came at %s, predicted %s (%s %s: %s)", m.Label, timeline.Offset(obs.At), window(p),
			seconds(m.Off), m.Status, why(p, m.Status == Late))
		return m
	}
	if p.Kind == timeline.Terminated && !sameExit(p, obs) {
		m.Status = Different
		m.Text = fmt.Sprintf("%s at %s exited %s, predicted %s", m.Label, timeline.Offset(obs.At), exitWords(obs), exitWords(p))
		return m
	}
	m.Text = fmt.Sprintf("%s at %s, predicted %s", m.Label, timeline.Offset(obs.At), window(p))
	return m
}

// sameExit compares what the prediction says about an exit (either may be
// left open).
func sameExit(p, obs timeline.Entry) bool {
	if p.ExitCode != nil && (obs.ExitCode == nil || *obs.ExitCode != *p.ExitCode) {
		return false
	}
	return p.Reason == "" || p.Reason == obs.Reason
}
