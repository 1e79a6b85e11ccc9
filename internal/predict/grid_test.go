package predict

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

func TestGrid(t *testing.T) {
	k := DefaultKubelet()
	runs := grid(k)
	if runs[0] != profile(k, 1) {
		t.Errorf("the first run is not the nominal one: %+v", runs[0])
	}
	seen := map[params]bool{}
	for _, p := range runs {
		if p.workerLead < k.WorkerLead.Min || p.workerLead > k.WorkerLead.Max {
			t.Errorf("a run's worker lead is outside its span: %+v", p)
		}
		seen[p] = true
	}
	if len(seen) < 20 {
		t.Errorf("only %d distinct runs", len(seen))
	}
}

// TestWindowed: an entry's window is the spread of its counterparts; the
// nominal run gives At; entries whose window opens after the horizon go.
func TestWindowed(t *testing.T) {
	rec := func(at float64, inst int) record {
		return record{e: timeline.Entry{Kind: timeline.Started, At: sec(at), Instance: inst},
			key: recordKey{kind: timeline.Started, inst: inst}}
	}
	runs := [][]record{{rec(10, 0), rec(100, 1)}, {rec(9, 0), rec(130, 1)}, {rec(12, 0)}}
	got := windowed(runs, 50*time.Second, 0)
	if len(got) != 1 || got[0].e.At != sec(10) || got[0].e.Earliest != sec(9) || got[0].e.Latest != sec(12) {
		t.Errorf("got %+v", got)
	}
	got = windowed(runs, time.Hour, time.Second)
	if len(got) != 2 || got[1].e.Earliest != sec(99) || got[1].e.Latest != sec(131) {
		t.Errorf("with slack: got %+v", got)
	}
}
