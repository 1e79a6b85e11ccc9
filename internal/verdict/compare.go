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

// Settle is how long after a predicted window closes its entry may still be
// on the way: the kubelet writes status and events asynchronously (its
// status manager batches pod status updates, status_manager.go syncBatch;
// the event broadcaster sends from its own goroutine), and a watch adds its
// own delay, seconds on a busy node. Until then an unseen entry is Open,
// not Missing, so a drill that stops right after a window closes does not
// call a kill or an exit the API is about to show "not observed".
const Settle = 5 * time.Second

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
	Open       Status = "open"        // window open (or closed less than Settle ago), not seen yet
	Unrecorded Status = "unrecorded"  // happened, but the API never showed it (see matcher.unrecorded)
	Skipped    Status = "skipped"     // optional (timeline.Entry.Optional), did not happen
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

// OK reports whether the line is a match, or not decided yet (not yet due,
// or open).
func (m Match) OK() bool {
	return m.Status == Matched || m.Status == NotYetDue || m.Status == Open || m.Status == Unrecorded || m.Status == Skipped
}

// Decided reports whether more observation cannot change the line.
func (m Match) Decided() bool { return m.Status != NotYetDue && m.Status != Open }

// Result is a whole comparison, in time order.
type Result struct {
	Lines      []Match `json:"lines"`
	Matched    int     `json:"matched"`
	Mismatched int     `json:"mismatched"`
	// Pauses are the machine's pauses while it was observed: the observed
	// offsets leave them out (timeline.Pause), which the reader should know.
	Pauses timeline.Pauses `json:"pauses,omitempty"`
}

// OK reports whether everything due was observed in its window and nothing
// unpredicted happened.
func (r Result) OK() bool { return r.Mismatched == 0 }

// Settled reports whether every line is decided: nothing predicted is still
// due or awaited. A drill that stops before then judges less than its
// prediction.
func (r Result) Settled() bool {
	for _, m := range r.Lines {
		if !m.Decided() {
			return false
		}
	}
	return true
}

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

type options struct{ until, end time.Duration }

// Until sets the comparison horizon, usually how long the drill has been
// observed: predicted entries whose window opens later are not yet due,
// unseen ones whose window closed less than Settle before it are open, and
// observed entries later than it are ignored. Without it every predicted
// entry is due and every observed entry counts.
func Until(d time.Duration) Option { return func(o *options) { o.until = d } }

// Ending says the observation ends at d (a drill's deadline): a predicted
// entry whose window closes later (with Resolution and Settle) may still
// come after the end, so unless it was seen it is left out of the result
// rather than awaited. It still takes part in the matching, so that what
// was seen early is not called unpredicted.
func Ending(d time.Duration) Option { return func(o *options) { o.end = d } }

// Compare lines predicted up with observed. A predicted entry's counterpart
// has the same kind and container instance (the n-th of that pair, for the
// pods of a Deployment); probe failures are matched by order among failures
// of the same probe type, since the kubelet numbers no probe.
func Compare(predicted, observed timeline.Timeline, opts ...Option) Result {
	o := options{until: time.Duration(1<<63 - 1), end: time.Duration(1<<63 - 1)}
	for _, f := range opts {
		f(&o)
	}
	m := newMatcher(predicted, observed, o.until)
	var lines []Match
	for i, p := range predicted.Entries {
		l := m.line(p, m.nth(predicted.Entries[:i+1], p))
		if !l.Decided() && !ClosesBy(p, o.end) {
			continue
		}
		lines = append(lines, l)
	}
	lines = append(lines, m.unexpected()...)
	slices.SortStableFunc(lines, func(a, b Match) int { return cmp.Compare(lineTime(a), lineTime(b)) })
	r := tally(lines)
	r.Pauses = observed.Pauses
	return r
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
// ClosesBy reports whether predicted entry e can be judged by an
// observation that ends at end: its window closes, give or take the API's
// Resolution and the time it may take to show the entry (Settle), by then.
func ClosesBy(e timeline.Entry, end time.Duration) bool {
	_, hi := bounds(e)
	return hi+Resolution+Settle <= end
}

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
	heldEarly := p.Kind == timeline.BackOff && obs.Type != "" && obs.At < lo
	switch {
	case heldEarly:
		// The Warning BackOff event comes with the hold itself; the status
		// shows CrashLoopBackOff from the next sync (predict's hold), which
		// is what the window is for.
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
	if p.Kind == timeline.Terminated && oomAsError(p, obs) {
		m.Text += " (an OOM kill that containerd reported as Error)"
	}
	if p.Kind == timeline.BackOff && !sameBackOff(p, obs) {
		m.Status = Different
		m.Text = fmt.Sprintf("%s at %s says %q, predicted %q", m.Label, timeline.Offset(obs.At), obs.StatedBackOff(), p.StatedBackOff())
	}
	return m
}

// sameBackOff compares the delay of a predicted hold-back (or one of the
// others it may state, timeline.Cause.OtherBackOffs) with the one the
// kubelet stated; an observation that states none (a BackOff event) cannot
// differ. The kubelet formats it as a Go duration, as the model does.
func sameBackOff(p, obs timeline.Entry) bool {
	got := obs.StatedBackOff()
	if got == "" || got == p.StatedBackOff() {
		return true
	}
	return p.MayStateOtherBackOff(got)
}

// sameExit compares what the prediction says about an exit (either may be
// left open). An OOM kill may read Error: see oomAsError.
func sameExit(p, obs timeline.Entry) bool {
	if p.ExitCode != nil && (obs.ExitCode == nil || *obs.ExitCode != *p.ExitCode) {
		return false
	}
	return p.Reason == "" || p.Reason == obs.Reason || oomAsError(p, obs)
}

// oomAsError reports an OOM kill that the status calls Error. containerd
// sets reason OOMKilled from a TaskOOM event, or from the cgroup's oom_kill
// counter when it handles the exit; the event may come after the kubelet
// has read the status, and with the systemd cgroup driver (the probedrill
// nodes') the cgroup can be gone before the counter is read, so the same
// exit 137 may show as Error (containerd 2.x internal/cri/server/events.go
// handleContainerExit, which says as much).
func oomAsError(p, obs timeline.Entry) bool {
	return p.Reason == "OOMKilled" && obs.Reason == "Error" && obs.ExitCode != nil && *obs.ExitCode == 137
}
