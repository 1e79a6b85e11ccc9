package drill

import (
	"context"
	"time"

	"github.com/probedrill/probedrill/internal/observe"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// previousLogs caches `logs --previous`: it changes only when a container
// instance dies, so it is fetched again only when the restart count moves.
type previousLogs struct {
	restarts int32
	text     string
}

// Observation is a snapshot of what the drill has seen so far, ready for
// verdict.Check. final says the drill is over: what is pending then fails.
func (d *Drill) Observation(ctx context.Context, final bool) verdict.Observation {
	pod := d.obs.Pod()
	tl := d.obs.Timeline()
	c := d.condition(tl)
	obs := verdict.Observation{
		Timeline:  tl,
		Events:    d.obs.Events(),
		Pod:       pod,
		Elapsed:   d.obs.Elapsed(),
		Final:     final,
		Predicted: c.timeline,
		Late:      c.late,
	}
	if len(d.Scenario.Expect.PreviousLogs) > 0 && pod != nil {
		obs.PreviousLogs = d.previousLogs(ctx)
	}
	return obs
}

// previousLogs returns the dead instance's log, refreshed after each restart.
// A fetch error (the API server may not have the log yet) leaves the cache
// as it was; the next snapshot tries again.
func (d *Drill) previousLogs(ctx context.Context) string {
	pod := d.obs.Pod()
	n := d.obs.RestartCount()
	if n == 0 || n == d.logs.restarts {
		return d.logs.text
	}
	text, err := observe.PreviousLogs(ctx, d.cs, d.Namespace, pod.Name, d.Scenario.Pod.ContainerName)
	if err == nil && text != "" {
		d.logs = previousLogs{restarts: n, text: text}
	}
	return d.logs.text
}

// Findings checks the scenario's expectations against the current snapshot.
func (d *Drill) Findings(ctx context.Context, final bool) []verdict.Finding {
	return verdict.Check(d.Scenario, d.Observation(ctx, final))
}

// Comparison lines the expected timeline (the prediction conditioned on
// what was observed, see Expected) up with the observed one, judging only
// what is due by now.
func (d *Drill) Comparison() verdict.Result {
	return d.compare(d.obs.Timeline(), d.obs.Elapsed())
}

// UpFront lines the prediction made before the drill started (Prediction)
// up with what was observed so far, ending where the drill does: whether
// every observed entry fell inside the window promised before it
// happened, not only inside the one conditioned on it.
func (d *Drill) UpFront() verdict.Result {
	observed := d.obs.Timeline()
	c := d.condition(observed)
	return verdict.Compare(d.Prediction.Timeline, observed, verdict.Until(d.obs.Elapsed()), verdict.Ending(c.deadline))
}

// compare lines the expected timeline up with observed, elapsed after the
// pod's creation.
func (d *Drill) compare(observed timeline.Timeline, elapsed time.Duration) verdict.Result {
	c := d.condition(observed)
	return verdict.Compare(c.full, observed, verdict.Until(elapsed), verdict.Ending(c.deadline))
}

// Progress is a drill's verdict so far.
type Progress struct {
	Findings   []verdict.Finding
	Comparison verdict.Result
	Elapsed    time.Duration
	// Deadline is how long the drill must watch, as far as it can tell now.
	Deadline time.Duration
	// Over says the drill has seen enough: everything is decided (each
	// expectation passed or failed, each predicted entry seen or past its
	// window), or the deadline has passed.
	Over bool
}

// Progress checks the expectations and the prediction against one
// snapshot of what has been observed so far.
func (d *Drill) Progress(ctx context.Context) Progress {
	obs := d.Observation(ctx, false)
	p := Progress{
		Findings:   verdict.Check(d.Scenario, obs),
		Comparison: d.compare(obs.Timeline, obs.Elapsed),
		Elapsed:    obs.Elapsed,
		Deadline:   d.condition(obs.Timeline).deadline,
	}
	p.Over = p.Elapsed >= p.Deadline || (p.Elapsed > 0 && Settled(p.Findings) && p.Comparison.Settled())
	return p
}

// Settled reports whether no finding is pending.
func Settled(fs []verdict.Finding) bool {
	for _, f := range fs {
		if f.Outcome == verdict.Pending {
			return false
		}
	}
	return true
}

// WaitRunning waits until the drill's first container runs, or at most
// limit: a node that starts it later is the prediction's business, not
// this wait's. It returns ctx's error if ctx ends first. Any number of
// goroutines may wait, beside Wait.
func (d *Drill) WaitRunning(ctx context.Context, limit time.Duration) error {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-d.obs.Started():
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// reevaluate is how often Wait re-checks expectations that depend on time
// alone (e.g. "no restarts for 60 s") when the watch brings nothing new.
const reevaluate = time.Second

// Wait follows the drill until it is over (see Progress) — every
// expectation decided and every predicted entry seen or past its window, or
// the deadline — calling onChange (if not nil) after each new observation.
// It returns the final findings; ctx cancellation ends it early with ctx's
// error.
func (d *Drill) Wait(ctx context.Context, onChange func()) ([]verdict.Finding, error) {
	tick := time.NewTicker(reevaluate)
	defer tick.Stop()
	for {
		if d.Progress(ctx).Over {
			return d.Findings(ctx, true), nil
		}
		select {
		case <-ctx.Done():
			return d.Findings(context.WithoutCancel(ctx), true), ctx.Err()
		case _, open := <-d.obs.Changes():
			if !open { // stopped by Cleanup: nothing more will be seen
				return d.Findings(ctx, true), nil
			}
			if onChange != nil {
				onChange()
			}
		case <-tick.C:
		}
	}
}
