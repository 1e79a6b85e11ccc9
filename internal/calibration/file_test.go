package calibration

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/scenarios"
)

func measured() Samples {
	s := Samples{}
	for i := range 10 {
		s.add(FirstStart, sec(1+i%4)) // 1…4 s
		s.add(Restart, sec(i%3))      // 0…2 s
	}
	s.add(Exit, sec(1)) // one sample: too few to replace the span
	return s
}

// A calibration file round-trips, and Load refuses what it must not read,
// naming the file.
func TestFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "calibration.json")
	f := New(measured(), Removals{Kills: 40, Seen: 2, MaxPerDrill: 1}, "a test", time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC))
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("read back %+v, wrote %+v", got, f)
	}
	for name, text := range map[string]string{
		"unknown field":  `{"version": 1, "latencies": {}, "extra": 1}`,
		"version":        `{"version": 2, "latencies": {}}`,
		"min above max":  `{"version": 1, "latencies": {"firstStart": {"n": 3, "minSeconds": 5, "p50Seconds": 1, "p90Seconds": 1, "maxSeconds": 1}}}`,
		"mean below min": `{"version": 1, "latencies": {"restart": {"n": 5, "minSeconds": 1, "meanSeconds": 0.5, "p50Seconds": 1, "p90Seconds": 1, "maxSeconds": 1}}}`,
		"not json":       `firstStart: 1`,
		"seen > kills":   `{"version": 1, "latencies": {}, "removals": {"kills": 1, "seen": 2, "maxPerDrill": 1}}`,
	} {
		bad := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: err %v, want one naming %s", name, err, bad)
		}
	}
}

// The measured latencies replace the model's spans, a second wider on
// each side (the samples' resolution); a latency with too few samples, and
// those an API timeline cannot show, keep the built-in span.
func TestKubeletTakesTheMeasuredSpans(t *testing.T) {
	k := New(measured(), Removals{}, "a test", time.Now()).Kubelet(predict.Kubelet{})
	d := predict.DefaultKubelet()
	// FirstStart samples 1,2,3,4,1,2,3,4,1,2: mean 2.3 s; Restart
	// 0,1,2,0,1,2,0,1,2,0: mean 0.9 s (the median would say 1 s).
	if want := (predict.Span{Min: 0, Nominal: 2300 * time.Millisecond, Max: sec(5)}); k.FirstStart != want {
		t.Errorf("FirstStart %+v, want %+v", k.FirstStart, want)
	}
	if want := (predict.Span{Min: 0, Nominal: 900 * time.Millisecond, Max: sec(3)}); k.RestartLatency != want {
		t.Errorf("RestartLatency %+v, want %+v", k.RestartLatency, want)
	}
	if k.ExitLatency != d.ExitLatency || k.WorkerLead != d.WorkerLead || k.StatusDelay != d.StatusDelay {
		t.Errorf("unmeasured spans changed: exit %+v, lead %+v, status %+v", k.ExitLatency, k.WorkerLead, k.StatusDelay)
	}
	if _, err := predict.Predict(mustScenario(t), k); err != nil {
		t.Errorf("the model refuses the calibrated kubelet: %v", err)
	}
	if k.Removals != 0 {
		t.Errorf("Removals %d with none seen, want 0", k.Removals)
	}
	seen := New(measured(), Removals{Kills: 30, Seen: 2, MaxPerDrill: 1}, "a test", time.Now())
	if k := seen.Kubelet(predict.Kubelet{}); k.Removals != 1 {
		t.Errorf("Removals %d after at most one per drill was seen, want 1", k.Removals)
	}
}

func mustScenario(t *testing.T) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Get("classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A calibration too thin to replace a span says which latencies.
func TestThin(t *testing.T) {
	samples := Samples{FirstStart: {time.Second, time.Second}}
	thin := New(samples, Removals{}, "a test", time.Now()).Thin()
	if len(thin) != 5 || thin[0] != FirstStart {
		t.Errorf("Thin() = %v, want all five latencies the model reads, firstStart first", thin)
	}
}

// The union of two calibrations allows what either does: its spans reach
// the smaller min and the larger max, its nominal is the mean over every
// sample, its removals add up; and it is a file Load accepts.
func TestUnion(t *testing.T) {
	quiet := New(measured(), Removals{Kills: 30}, "quiet", time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC))
	busy := Samples{}
	for i := range 10 {
		busy.add(FirstStart, sec(3+i%5)) // 3…7 s
	}
	loaded := New(busy, Removals{Kills: 20, Seen: 1, MaxPerDrill: 1}, "busy", time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	u := quiet.Union(loaded)
	k := u.Kubelet(predict.Kubelet{})
	// FirstStart: quiet 1…4 s (mean 2.3), busy 3…7 s (mean 5): 0…8 s, mean 3.65 s.
	if want := (predict.Span{Min: 0, Nominal: 3650 * time.Millisecond, Max: sec(8)}); k.FirstStart != want {
		t.Errorf("FirstStart %+v, want %+v", k.FirstStart, want)
	}
	if k.RestartLatency != quiet.Kubelet(predict.Kubelet{}).RestartLatency {
		t.Errorf("RestartLatency %+v: only one side measured it, want its span", k.RestartLatency)
	}
	if r := *u.Removals; r != (Removals{Kills: 50, Seen: 1, MaxPerDrill: 1}) || k.Removals != 1 {
		t.Errorf("removals %+v (Kubelet %d), want 1 of 50, 1 allowed", r, k.Removals)
	}
	if !u.MeasuredAt.Equal(loaded.MeasuredAt) || u.Source != "quiet; busy" {
		t.Errorf("measured %v from %q", u.MeasuredAt, u.Source)
	}
	path := filepath.Join(t.TempDir(), "union.json")
	if err := u.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Errorf("the union does not load: %v", err)
	}
}
