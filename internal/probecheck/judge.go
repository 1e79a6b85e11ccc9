package probecheck

import (
	"fmt"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
)

// Outcome is what happened (or is predicted to happen) to one drill's
// container within the window.
type Outcome struct {
	// Restarts within the window (predicted: the nominal count).
	Restarts int
	// RestartsMin and RestartsMax bound the predicted count (a restart
	// whose window straddles the end may or may not count); both equal
	// Restarts when observed.
	RestartsMin, RestartsMax int
	// First is the first restart (Started, instance 1), nil if none; a
	// predicted one carries its window in Earliest and Latest.
	First *timeline.Entry
	// KilledBy names the probe of the first kill: liveness or startup.
	KilledBy string
}

// Restarted reports whether the container was restarted in the window.
func (o Outcome) Restarted() bool { return o.Restarts > 0 }

// windowEnd is where a drill's window ends, as an offset from the pod's
// creation: window after the first container started. Anchoring it at the
// start, not at the pod's creation, keeps a cluster that was slow to start
// the container from eating the window ("restarts in the first N minutes"
// of the app's life).
func windowEnd(t timeline.Timeline, window time.Duration) time.Duration {
	if first, ok := firstStart(t); ok {
		return first.At + window
	}
	return window
}

// outcome reads the restarts and the first kill of a timeline within the
// window.
func outcome(t timeline.Timeline, window time.Duration) Outcome {
	var o Outcome
	end := windowEnd(t, window)
	for _, e := range t.Of(timeline.Started) {
		if e.Instance > 0 && e.At <= end {
			o.Restarts++
			if o.First == nil {
				first := e
				o.First = &first
			}
		}
	}
	o.RestartsMin, o.RestartsMax = o.Restarts, o.Restarts
	for _, e := range t.Of(timeline.Killing) {
		if e.At <= end {
			o.KilledBy = killedBy(e.Message)
			break
		}
	}
	return o
}

// killedBy reads which probe a Killing event blames
// ("Container web failed startup probe, will be restarted").
func killedBy(msg string) string {
	if strings.Contains(msg, "failed startup probe") {
		return "startup"
	}
	return "liveness"
}

// predicted is the predictor's outcome within window.
func predicted(p *predict.Prediction, window time.Duration) Outcome {
	o := outcome(p.Timeline, window)
	lo, hi := p.RestartsAt(windowEnd(p.Timeline, window))
	o.RestartsMin, o.RestartsMax = min(lo, o.Restarts), max(hi, o.Restarts)
	return o
}

// Result is the verdict on one fault.
type Result struct {
	Drill
	// Predicted is the predictor's outcome; Observed is nil in a dry run.
	Predicted Outcome
	Observed  *Outcome
	// Catch is the first predicted restart at any time, even past the
	// window (0: none within the predictor's horizon).
	Catch time.Duration
	// Namespace the drill ran in ("" in a dry run).
	Namespace string
	// Pass: a must-catch fault was caught (restarted), a must-spare one was
	// not. Decided on what was observed, else on the prediction.
	Pass bool
	// Advice says what to change, in one line, when Pass is false.
	Advice string
	// Mismatch says how the observation differs from the prediction.
	Mismatch string
	// StartedAt is set when the cluster started the first container later
	// (or sooner) than the model allows: the observed start, which Predicted
	// was then conditioned on (see conditioned).
	StartedAt time.Duration
}

// Deciding is the outcome the verdict rests on.
func (r Result) Deciding() Outcome {
	if r.Observed != nil {
		return *r.Observed
	}
	return r.Predicted
}

// judge fills Pass and Mismatch.
func (r *Result) judge() {
	if r.Skipped != "" {
		r.Pass = true
		return
	}
	restarted := r.Deciding().Restarted()
	r.Pass = restarted == (r.Must == MustCatch)
	if r.Observed != nil {
		r.Mismatch = mismatch(r.Predicted, *r.Observed)
	}
}

// apiResolution widens predicted windows for observed times: the API's
// timestamps have one-second resolution (internal/verdict does the same).
const apiResolution = time.Second

// mismatch words how obs differs from pred, "" when it does not.
func mismatch(pred, obs Outcome) string {
	switch {
	case pred.Restarted() != obs.Restarted():
		return fmt.Sprintf("predicted %s, observed %s", restartsWord(pred.Restarts), restartsWord(obs.Restarts))
	case obs.First != nil && pred.First != nil &&
		(obs.First.At < pred.First.Earliest-apiResolution || obs.First.At > pred.First.Latest+apiResolution):
		return fmt.Sprintf("first restart at %s, predicted %s…%s", timeline.Offset(obs.First.At),
			timeline.Offset(pred.First.Earliest), timeline.Offset(pred.First.Latest))
	case obs.Restarts < pred.RestartsMin || obs.Restarts > pred.RestartsMax:
		return fmt.Sprintf("%s observed, predicted %s", restartsWord(obs.Restarts), span(pred.RestartsMin, pred.RestartsMax))
	}
	return ""
}

func restartsWord(n int) string {
	if n == 1 {
		return "1 restart"
	}
	return fmt.Sprintf("%d restarts", n)
}

// span words a count range: "2" or "2…3".
func span(lo, hi int) string {
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d…%d", lo, hi)
}
