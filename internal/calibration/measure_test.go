package calibration

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

func code(c int32) *int32 { return &c }

// A seed-like run: a kill restarted at once, a second one held back by
// CrashLoopBackOff, a readiness flip, and a replacement pod left out.
func TestMeasure(t *testing.T) {
	tl := timeline.Timeline{Entries: []timeline.Entry{
		{Kind: timeline.Started, Instance: 0, At: sec(3), Pod: "a"},
		{Kind: timeline.Ready, Instance: 0, At: sec(5), Pod: "a"},
		{Kind: timeline.ProbeFailed, Instance: 0, At: sec(10), Pod: "a"},
		{Kind: timeline.ProbeFailed, Instance: 0, At: sec(12), Pod: "a"},
		{Kind: timeline.Killing, Instance: 0, At: sec(13), Pod: "a"},
		{Kind: timeline.Terminated, Instance: 0, At: sec(14), ExitCode: code(143), Pod: "a"},
		{Kind: timeline.Started, Instance: 1, At: sec(15), Pod: "a"},
		{Kind: timeline.ProbeFailed, Instance: 1, At: sec(20), Pod: "a"},
		{Kind: timeline.Killing, Instance: 1, At: sec(20), Pod: "a"},
		{Kind: timeline.Terminated, Instance: 1, At: sec(32), ExitCode: code(137), Pod: "a"},
		{Kind: timeline.BackOff, Instance: 1, At: sec(33), Pod: "a"},
		{Kind: timeline.Started, Instance: 2, At: sec(45), Pod: "a"},
		{Kind: timeline.Started, Instance: 0, At: sec(50), Pod: "b"},
	}}
	got := Measure(tl, false)
	want := Samples{
		FirstStart: {sec(3)},
		Restart:    {sec(1)},    // 14 → 15; 32 → 45 was held back
		Exit:       {sec(1)},    // 13 → 14; the 137 after the grace period is not an exit latency
		Kill:       {0, sec(1)}, // in instance order after sorting below
		Ready:      {sec(2)},
	}
	for _, l := range Latencies {
		g := Of(got[l])
		w := Of(want[l])
		if g != w {
			t.Errorf("%s: got %+v, want %+v", l, g, w)
		}
	}
	// Without a readiness or startup probe, start → Ready is the status delay.
	if got := Measure(tl, true); len(got[Ready]) != 0 || Of(got[Status]) != Of([]time.Duration{sec(2)}) {
		t.Errorf("ready on start: ready %v, status %v; want status [2s]", got[Ready], got[Status])
	}
}

// ReadyOnStart tells the scenarios whose Ready follows the start alone.
func TestReadyOnStart(t *testing.T) {
	for name, want := range map[string]bool{"classroom-fast": true, "readiness-fail-no-restart": false, "startup-probe-slow-start": false} {
		s, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := ReadyOnStart(s); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

func TestStats(t *testing.T) {
	var ds []time.Duration
	for i := 10; i >= 1; i-- {
		ds = append(ds, sec(i))
	}
	got := Of(ds)
	want := Stats{N: 10, Min: sec(1), P50: sec(5), P90: sec(9), Max: sec(10), Mean: 5500 * time.Millisecond}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if (Of(nil) != Stats{}) {
		t.Errorf("no samples should give zero stats")
	}
}

// A real run (a replay of the model's tests): the numbers a reader can
// check against its timeline.
func TestMeasureAReplay(t *testing.T) {
	data, err := os.ReadFile("../predict/testdata/replays/seed-health-behind-auth-first-tick.json")
	if err != nil {
		t.Fatal(err)
	}
	var run struct {
		Observed timeline.Timeline `json:"observed"`
	}
	if err := json.Unmarshal(data, &run); err != nil {
		t.Fatal(err)
	}
	s := Measure(run.Observed, true) // liveness only
	if st := Of(s[FirstStart]); st.N != 1 || st.Max != sec(3) {
		t.Errorf("first start %+v, want one of 3s", st)
	}
	// Restarts 1 and 2 came in the kill's own sync; 3 and 4 after a back-off.
	if st := Of(s[Restart]); st.N != 2 {
		t.Errorf("restart %+v, want 2 samples", st)
	}
	if st := Of(s[Exit]); st.N != 5 || st.Max > sec(1) {
		t.Errorf("exit %+v, want 5 samples of at most 1s", st)
	}
	var b strings.Builder
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| firstStart | 1 | 3s | 3s | 3s | 3s |") || !strings.Contains(b.String(), "| workerLead | 0 | — |") {
		t.Errorf("table:\n%s", b.String())
	}
}
