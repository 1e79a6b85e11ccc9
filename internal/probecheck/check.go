package probecheck

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Check is a prepared check: everything known without a cluster.
type Check struct {
	Config  *Config
	Options Options
	// Window is how long every drill is watched, from its pod's creation.
	Window time.Duration
	// Capped is set when the window was cut at AutoWindowCap before a
	// predicted catch.
	Capped bool
	// Drills, Plans and catches are parallel; a skipped drill has no plan.
	Drills []Drill
	Plans  []*drill.Plan
	// catches: the first predicted restart of each drill at any time, even
	// past the window (0: none).
	catches []time.Duration
}

// Prepare builds, predicts and validates every fault's drill. Nothing
// touches a cluster; input problems are *scenarios.InvalidError.
func Prepare(in *Input, o Options) (*Check, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	c, err := Build(in)
	if err != nil {
		return nil, err
	}
	k := &Check{Config: c, Options: o, Drills: c.drills(o)}
	if err := k.size(); err != nil {
		return nil, err
	}
	return k, k.plan()
}

// size predicts each drill far enough to see its first restart, if any,
// and sets the window: the option, or what the predictions need.
func (k *Check) size() error {
	k.catches = make([]time.Duration, len(k.Drills))
	var need time.Duration
	for i, d := range k.Drills {
		if d.Scenario == nil {
			continue
		}
		var opts []predict.Option
		if d.Must == MustCatch { // how late a slow probe catches it, for the advice
			opts = append(opts, predict.WithRestarts(1))
		}
		p, err := predict.Predict(d.Scenario, k.Options.Kubelet, opts...)
		if err != nil {
			return fmt.Errorf("internal: predicting %s: %w", d.Fault, err)
		}
		k.catches[i] = firstRestart(p.Timeline)
		need = max(need, k.Config.need(d, p, k.Options))
	}
	k.Window, k.Capped = autoWindow(need)
	if k.Options.Window > 0 {
		k.Window, k.Capped = k.Options.Window, false
	}
	return nil
}

// plan finishes each scenario for the window and prepares its drill.
func (k *Check) plan() error {
	k.Plans = make([]*drill.Plan, len(k.Drills))
	for i, d := range k.Drills {
		if d.Scenario == nil {
			continue
		}
		if err := finish(d.Scenario, k.Window); err != nil {
			return fmt.Errorf("internal: check scenario for %s: %w", d.Fault, err)
		}
		p, err := drill.Prepare(d.Scenario, drill.Options{Kubelet: k.Options.Kubelet, Image: k.Options.Image})
		if err != nil {
			return fmt.Errorf("internal: %w", err)
		}
		k.Plans[i] = p
	}
	return nil
}

// Predicted judges every fault on its prediction alone (a dry run).
func (k *Check) Predicted() []Result {
	out := make([]Result, len(k.Drills))
	for i := range k.Drills {
		var p *predict.Prediction
		if k.Plans[i] != nil {
			p = k.Plans[i].Prediction
		}
		out[i] = k.result(i, p, nil, "")
	}
	return out
}

// result judges drill i on what was observed (nil: on the prediction p).
func (k *Check) result(i int, p *predict.Prediction, obs *Outcome, namespace string) Result {
	r := Result{Drill: k.Drills[i], Observed: obs, Namespace: namespace}
	if p != nil {
		r.Predicted = predicted(p, k.Window)
		r.Catch = k.catches[i]
	}
	r.judge()
	r.Advice = k.Config.advice(r, k.Options, k.Window)
	return r
}

// Auto window bounds: a margin after the decisive moment for the watch to
// deliver it, a floor so that a quick drill still shows a few probe
// periods, and a cap so that a check stays a CI step.
const (
	windowMargin  = 15 * time.Second
	windowFloor   = time.Minute
	AutoWindowCap = 10 * time.Minute
	windowStep    = 10 * time.Second
)

// autoWindow rounds need plus the margin up to the step, within bounds.
func autoWindow(need time.Duration) (time.Duration, bool) {
	w := need + windowMargin
	if w > AutoWindowCap {
		return AutoWindowCap, true
	}
	w = max(w, windowFloor)
	return (w + windowStep - 1).Truncate(windowStep), false
}

// need is how long drill d must be watched to decide it: until its first
// predicted restart, or, when none is predicted, until the liveness probe
// has had failureThreshold+1 periods after the fault shows.
func (c *Config) need(d Drill, p *predict.Prediction, o Options) time.Duration {
	for _, e := range p.Timeline.Of(timeline.Started) {
		if e.Instance == 1 {
			return e.Latest
		}
	}
	l := c.Liveness
	period := seconds(l.PeriodSeconds)
	quiet := seconds(l.InitialDelaySeconds) + time.Duration(l.FailureThreshold+1)*period + seconds(l.TimeoutSeconds)
	if s := c.Startup; s != nil {
		quiet += seconds(s.InitialDelaySeconds + s.PeriodSeconds)
	}
	switch {
	case d.Fault == scenarios.FaultSlowStart:
		return o.Startup + quiet
	case scenarios.Counted(d.Fault):
		return time.Duration(o.After)*period + quiet
	}
	return quiet
}

func seconds(n int32) time.Duration { return time.Duration(n) * time.Second }
