package demo

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/drill"
)

// TestOver: without --for the watch ends when the drill is over or at the
// drill's deadline; with --for it ends only at its end.
func TestOver(t *testing.T) {
	plan := startPlan(t)
	w := newWatch(&drill.Drill{Plan: plan, Started: time.Now()}, 0)
	cases := []struct {
		name      string
		elapsed   time.Duration
		drillOver bool
		want      bool
	}{
		{"drill not over", 30 * time.Second, false, false},
		{"drill over", 30 * time.Second, true, true},
		{"the drill's deadline", plan.Deadline, false, true},
	}
	for _, c := range cases {
		if got := w.over(c.elapsed, c.drillOver); got != c.want {
			t.Errorf("%s: over = %v, want %v", c.name, got, c.want)
		}
	}
	forW := newWatch(&drill.Drill{Plan: plan, Started: time.Now()}, 3*time.Minute)
	if forW.over(80*time.Second, true) {
		t.Errorf("with --for the watch goes on after the drill is over")
	}
	if !forW.over(3*time.Minute, false) {
		t.Errorf("with --for the watch ends at its end")
	}
}
