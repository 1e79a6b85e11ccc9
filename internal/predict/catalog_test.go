package predict

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// TestCatalogAgrees predicts every scenario of the catalog and checks that
// what it expects is what the model says the kubelet will do, with margin:
// a suite waits until the window closes, so an expectation the window
// cannot meet would fail on a real cluster too.
func TestCatalogAgrees(t *testing.T) {
	all, err := scenarios.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			p, err := Predict(s, Kubelet{}, WithHorizon(horizonFor(s.Expect)))
			if err != nil {
				t.Fatal(err)
			}
			if p.Unpredictable != "" {
				t.Skip(p.Unpredictable)
			}
			checkExpect(t, p, s.Expect)
		})
	}
}

// horizonFor is the longest offset the expectations mention, plus a minute.
func horizonFor(x scenarios.Expect) time.Duration {
	h := 5 * time.Minute
	for _, d := range []time.Duration{within(x.Restarts), durationOf(x.NoRestartsFor), durationOf(x.NotReadyWithin)} {
		h = max(h, d+time.Minute)
	}
	return h
}

func within(r *scenarios.RestartCount) time.Duration {
	if r == nil || r.Within == nil {
		return 0
	}
	return r.Within.Duration
}

func checkExpect(t *testing.T, p *Prediction, x scenarios.Expect) {
	t.Helper()
	if r := x.Restarts; r != nil && r.Within != nil {
		if by, err := p.RestartBy(r.Min); err != nil || by > r.Within.Duration {
			t.Errorf("expects %d restarts within %v; predicted by %v (%v)", r.Min, r.Within.Duration, by, err)
		}
		if _, hi := p.RestartsAt(r.Within.Duration); r.Max != nil && hi > *r.Max {
			t.Errorf("expects at most %d restarts; up to %d predicted by %v", *r.Max, hi, r.Within.Duration)
		}
	}
	if d := x.NoRestartsFor; d != nil {
		if _, hi := p.RestartsAt(d.Duration); hi > 0 {
			t.Errorf("expects no restarts for %v; up to %d predicted", d.Duration, hi)
		}
	}
	if lt := x.LastTermination; lt != nil {
		if got, ok := p.Termination(0); !ok || got != *lt {
			t.Errorf("expects lastState.terminated %+v; predicted %+v (%v)", *lt, got, ok)
		}
	}
	if x.CrashLoopBackOff && len(p.Timeline.Of(timeline.BackOff)) == 0 {
		t.Errorf("expects CrashLoopBackOff; none predicted within %v", p.Horizon)
	}
	if d := x.NotReadyWithin; d != nil {
		if nr := p.Timeline.Of(timeline.NotReady); len(nr) == 0 || nr[0].Latest > d.Duration {
			t.Errorf("expects NotReady within %v; predicted %v", d.Duration, nr)
		}
	}
}
