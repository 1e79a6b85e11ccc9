package probecheck

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// TestConditionedOnALateStart: a container the cluster started 90 s after
// the pod was created (beyond any predicted window) is judged against a prediction that starts there; one
// started in its window keeps the plan's prediction.
func TestConditionedOnALateStart(t *testing.T) {
	k := prepared(t, readExample(t, "seed-probe.yaml"), func(o *Options) { o.Faults = []string{"hang"} })
	start := func(at time.Duration) timeline.Timeline {
		var tl timeline.Timeline
		tl.Add(timeline.Entry{Kind: timeline.Started, At: at, Earliest: at, Latest: at})
		return tl
	}
	p, late := k.conditioned(0, start(time.Second))
	if late != 0 || p != k.Plans[0].Prediction {
		t.Errorf("an on-time start changed the prediction (late %s)", late)
	}
	p, late = k.conditioned(0, start(90*time.Second))
	if late != 90*time.Second {
		t.Fatalf("late %s, want 90s", late)
	}
	first, _ := firstStart(p.Timeline)
	if !first.Within(90 * time.Second) {
		t.Errorf("conditioned start window %s…%s does not hold the observed 90s", first.Earliest, first.Latest)
	}
	before, after := predicted(k.Plans[0].Prediction, time.Hour).First, predicted(p, time.Hour).First
	if after.At <= before.At {
		t.Errorf("first restart %s, not later than the plan's %s", after.At, before.At)
	}
}
