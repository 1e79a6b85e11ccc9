package calibration

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// CountRemovals finds the kills whose sync found the exited container
// deleted in runs the model explains by it (docs/kubelet-backoff.md), and
// none in a run whose restarts all waited or had nothing to wait for.
func TestCountRemovals(t *testing.T) {
	var total Removals
	for name, want := range map[string]int{
		"deadlock-timeout":                      1, // pins.removed
		"startup-probe-too-short-fresh-machine": 1, // deleted after its exit showed
		// Restart 4 came when the back-off allowed it anyway; only
		// hold-back 4's "back-off 20s" (not 40s) shows the removal.
		"startup-probe-too-short-removed-unseen": 1,
		"seed-health-behind-auth-first-tick":     0,
	} {
		s, tl := readReplay(t, name)
		r, err := CountRemovals(s, tl)
		if err != nil {
			t.Fatal(err)
		}
		if r.Seen != want || r.MaxPerDrill != want || r.Kills < 4 {
			t.Errorf("%s: %+v, want %d seen of at least 4 kills", name, r, want)
		}
		total.Add(r)
	}
	if total.Seen != 3 || total.MaxPerDrill != 1 {
		t.Errorf("added up %+v, want 3 seen, at most 1 per drill", total)
	}
}

func readReplay(t *testing.T, name string) (*scenarios.Scenario, timeline.Timeline) {
	t.Helper()
	data, err := os.ReadFile("../predict/testdata/replays/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var run struct {
		Scenario string            `json:"scenario"`
		Observed timeline.Timeline `json:"observed"`
	}
	if err := json.Unmarshal(data, &run); err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.Get(run.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	return s, run.Observed
}
