package demo

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/screen"
	"github.com/probedrill/probedrill/internal/timeline"
)

// TestOverLingersForWhatIsDue: with every expectation decided, the watch
// still waits (up to linger) for an entry due right now, then ends; with
// --for it ends only at its end.
func TestOverLingersForWhatIsDue(t *testing.T) {
	plan := startPlan(t)
	w := newWatch(&drill.Drill{Plan: plan, Started: time.Now()}, 0)
	seenAll := func(elapsed time.Duration, skip timeline.Kind) screen.Snapshot {
		var obs timeline.Timeline
		for _, e := range w.predicted().Entries {
			if e.Earliest <= elapsed && !(e.Kind == skip && e.Instance == 3) {
				e.Earliest, e.Latest = e.At, e.At
				obs.Add(e)
			}
		}
		return screen.Snapshot{Elapsed: elapsed, Observed: obs}
	}
	settled := 66 * time.Second
	cases := []struct {
		name      string
		snap      screen.Snapshot
		settledAt time.Duration
		want      bool
	}{
		{"not settled", seenAll(66*time.Second, ""), -1, false},
		{"settled, nothing due", seenAll(66*time.Second, ""), settled, true},
		{"settled, the last exit is due", seenAll(66*time.Second, timeline.Terminated), settled, false},
		{"settled, linger over", seenAll(settled+linger, timeline.Terminated), settled, true},
		{"the drill's deadline", seenAll(plan.Deadline, timeline.Terminated), -1, true},
	}
	for _, c := range cases {
		if got := w.over(c.snap, c.settledAt); got != c.want {
			t.Errorf("%s: over = %v, want %v", c.name, got, c.want)
		}
	}
	forW := newWatch(&drill.Drill{Plan: plan, Started: time.Now()}, 3*time.Minute)
	if forW.over(seenAll(80*time.Second, ""), settled) {
		t.Errorf("with --for the watch goes on after every expectation is decided")
	}
}
