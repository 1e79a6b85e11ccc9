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
// cannot meet would fail on a real cluster too. A drill moves a stated
// duration by how late the container it follows started (verdict's
// checker.by), so the margin needed is one step's: from the planned start
// of that container, with every latency after it at its largest.
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
			checkExpect(t, s, p)
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

// fromPlannedStart predicts s again with instances 0…n started, and 0…n−1
// exited, as planned (at their nominal times), as a drill that saw them
// would.
func fromPlannedStart(t *testing.T, s *scenarios.Scenario, p *Prediction, n int) *Prediction {
	t.Helper()
	var seen timeline.Timeline
	for _, e := range p.Timeline.Entries {
		if (e.Kind == timeline.Started && e.Instance <= n) || (e.Kind == timeline.Terminated && e.Instance < n) {
			e.Earliest, e.Latest = e.At, e.At
			seen.Add(e)
		}
	}
	again, err := Predict(s, Kubelet{}, WithHorizon(p.Horizon), WithObserved(seen))
	if err != nil {
		t.Fatal(err)
	}
	return again
}

func checkExpect(t *testing.T, s *scenarios.Scenario, p *Prediction) {
	t.Helper()
	x := s.Expect
	if r := x.Restarts; r != nil && r.Within != nil {
		step := fromPlannedStart(t, s, p, r.Min-1)
		if by, err := step.RestartBy(r.Min); err != nil || by > r.Within.Duration {
			t.Errorf("expects %d restarts within %v; predicted by %v after a start of instance %d as planned (%v)", r.Min, r.Within.Duration, by, r.Min-1, err)
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
		if nr := fromPlannedStart(t, s, p, 0).Timeline.Of(timeline.NotReady); len(nr) == 0 || nr[0].Latest > d.Duration {
			t.Errorf("expects NotReady within %v; predicted %v", d.Duration, nr)
		}
	}
}
