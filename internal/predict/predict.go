package predict

import (
	"fmt"
	"math"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// DefaultHorizon is how far ahead Predict looks unless told otherwise: long
// enough for the seed to reach a 5-minute back-off.
const DefaultHorizon = 15 * time.Minute

// observeMargin is what DrillDuration adds for the watch to deliver the
// last change (events and status reach the API server within a second or two).
const observeMargin = 5 * time.Second

// Prediction is the expected timeline of one scenario on one cluster.
type Prediction struct {
	// Timeline holds every entry that can happen by Horizon, each with its
	// nominal time (At), its window (Earliest, Latest) and a Why.
	Timeline timeline.Timeline
	// Horizon is how far ahead the prediction looks; the helpers answer
	// only up to it.
	Horizon time.Duration
	// Unpredictable is non-empty when the fault is random (flaky) or not
	// modelled (leak without a memory limit): one line saying why. The
	// Timeline then holds only what is certain.
	Unpredictable string
	// upper holds the restarts of the worst case when Unpredictable is set:
	// RestartsAt's maximum.
	upper []timeline.Entry
}

// maxHorizon bounds WithRestarts: past it, what has not happened is not
// going to be watched for.
const maxHorizon = 4 * time.Hour

type options struct {
	horizon  time.Duration
	restarts int
	lang     Lang
	observed *timeline.Timeline
}

// Option tunes Predict.
type Option func(*options)

// WithHorizon sets how far ahead to predict (default DefaultHorizon).
func WithHorizon(d time.Duration) Option { return func(o *options) { o.horizon = d } }

// WithRestarts extends the horizon (doubling it, up to 4 hours) until n
// restarts are predicted; combine it with DrillDuration(n).
func WithRestarts(n int) Option { return func(o *options) { o.restarts = n } }

// WithLang sets the language of the entries' Why (default English).
func WithLang(l Lang) Option { return func(o *options) { o.lang = l } }

// WithObserved conditions the prediction on a drill's observed timeline:
// every container start and exit seen so far is taken as given, and what
// follows it is predicted from it. Each entry's window is then what the
// model says one step ahead of what was seen: a start from the exit or
// back-off before it, an exit from the kill, a probe failure from the
// start of its container. How fast a busy node starts and stops containers
// is not the model's business; its rules are. Entries not yet observed are
// predicted as usual from the last observed moment.
func WithObserved(tl timeline.Timeline) Option { return func(o *options) { o.observed = &tl } }

// Predict models what the kubelet does to the scenario's pod on a cluster
// with the given facts (zero fields of k take DefaultKubelet's values).
func Predict(s *scenarios.Scenario, k Kubelet, opts ...Option) (*Prediction, error) {
	o := options{horizon: DefaultHorizon, lang: English}
	for _, opt := range opts {
		opt(&o)
	}
	if o.horizon <= 0 {
		return nil, fmt.Errorf("predict: horizon %v is not positive", o.horizon)
	}
	k = k.WithDefaults()
	if err := k.validate(); err != nil {
		return nil, err
	}
	d, err := resolve(s)
	if err != nil {
		return nil, err
	}
	var pn pins
	if o.observed != nil {
		pn = pinsOf(*o.observed, d.container)
	}
	if !pn.empty() {
		// Pinned moments are good to the second, so a near-tie between a
		// lifetime and a back-off is one within that.
		k.TieMargin = max(k.TieMargin, pinResolution)
	}
	for {
		p := predict(d, k, pn, o)
		if len(p.starts()) >= o.restarts || p.Unpredictable != "" || o.horizon >= maxHorizon {
			return p, nil
		}
		o.horizon = min(2*o.horizon, maxHorizon)
	}
}

// predict runs the model's grid once for o.horizon.
func predict(d *drill, k Kubelet, pn pins, o options) *Prediction {
	// Runs whose ties went the other way lag the nominal one by up to a
	// back-off or two; they are simulated far enough to give every entry
	// of the horizon its window.
	limit := o.horizon + 2*k.MaxContainerRestartPeriod + 2*k.SyncFrequency + time.Minute
	recs := windowed(runAll(d, k, pn, limit, false), o.horizon, k.TimestampSlack)
	p := &Prediction{Horizon: o.horizon}
	p.Unpredictable, recs = p.unpredictable(d, k, pn, recs, limit)
	p.add(recs, o.lang)
	return p
}

// add puts the records on the timeline with their Why in lang.
func (p *Prediction) add(recs []record, lang Lang) {
	for _, r := range recs {
		why := r.why
		if r.tie {
			why = why.Plus(whyTie())
		}
		r.e.Why = in(why, lang)
		r.e.Optional = r.optional
		p.Timeline.Add(r.e)
	}
}

// Timeline is Predict's timeline with the default horizon, in English.
func Timeline(s *scenarios.Scenario, k Kubelet) (timeline.Timeline, error) {
	p, err := Predict(s, k)
	if err != nil {
		return timeline.Timeline{}, err
	}
	return p.Timeline, nil
}

// starts returns the Started entries of restarts (instance ≥ 1), in order.
func (p *Prediction) starts() []timeline.Entry {
	if p.upper != nil {
		return p.upper
	}
	var out []timeline.Entry
	for _, e := range p.Timeline.Of(timeline.Started) {
		if e.Instance > 0 {
			out = append(out, e)
		}
	}
	return out
}

// RestartsAt bounds the restart count at offset t (valid up to Horizon):
// restarts whose window has closed by t must have happened, restarts whose
// window has opened may have.
func (p *Prediction) RestartsAt(t time.Duration) (lo, hi int) {
	for _, e := range p.starts() {
		if e.Latest <= t && p.upper == nil {
			lo++
		}
		if e.Earliest <= t {
			hi++
		}
	}
	return lo, hi
}

// RestartBy is the offset by which the n-th restart must have happened.
func (p *Prediction) RestartBy(n int) (time.Duration, error) {
	if p.Unpredictable != "" {
		return 0, fmt.Errorf("predict: restarts cannot be predicted: %s", p.Unpredictable)
	}
	for _, e := range p.starts() {
		if e.Instance == n {
			return e.Latest, nil
		}
	}
	return 0, fmt.Errorf("predict: restart %d is not predicted within %v", n, p.Horizon)
}

// DrillDuration is how long a drill must watch to see n restarts (n = 0:
// the first container running), rounded up to the second: a suite's
// Eventually timeout.
func (p *Prediction) DrillDuration(n int) (time.Duration, error) {
	at, err := p.RestartBy(n)
	if n == 0 {
		at, err = p.firstStartLatest()
	}
	if err != nil {
		return 0, err
	}
	d := at + observeMargin
	return time.Duration(math.Ceil(d.Seconds())) * time.Second, nil
}

func (p *Prediction) firstStartLatest() (time.Duration, error) {
	for _, e := range p.Timeline.Of(timeline.Started) {
		if e.Instance == 0 {
			return e.Latest, nil
		}
	}
	return 0, fmt.Errorf("predict: no container start within %v", p.Horizon)
}

// Termination is the predicted lastState.terminated of container instance n
// (0 is the first container), if it ends within the horizon.
func (p *Prediction) Termination(n int) (scenarios.Termination, bool) {
	for _, e := range p.Timeline.Of(timeline.Terminated) {
		if e.Instance == n && e.ExitCode != nil {
			return scenarios.Termination{Reason: e.Reason, ExitCode: *e.ExitCode}, true
		}
	}
	return scenarios.Termination{}, false
}
