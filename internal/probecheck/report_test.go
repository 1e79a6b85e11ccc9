package probecheck

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/probedrill/probedrill/internal/timeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", name, diff)
	}
}

func TestDryRunReport(t *testing.T) {
	k := prepared(t, readExample(t, "seed-probe.yaml"), nil)
	r := Report{Check: k, Results: k.Predicted(), DryRun: true}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "seed-probe.dry-run.txt", b.Bytes())
	if err := r.Err(); err == nil || err.Error() != "the probes failed 1 of 5 faults: slow-start (killed a healthy app)" {
		t.Errorf("Err() = %v", err)
	}
}

// liveReport is the heavy-health example as if it had run: every drill as
// predicted, except heavy-health, restarted twice and later than predicted.
func liveReport(t *testing.T) Report {
	k := prepared(t, readExample(t, "heavy-health-timeout.yaml"), nil)
	var results []Result
	for i, d := range k.Drills {
		obs := observedLike(k.Plans[i].Prediction.Timeline, k.Window)
		if d.Fault == "heavy-health" {
			obs = observed(k.Window, 63*time.Second, 101*time.Second)
		}
		results = append(results, k.result(i, k.Plans[i].Prediction, &obs, "pd-check-"+d.Fault+"-x1y2z"))
	}
	return Report{Check: k, Results: results, Note: "https://10.0.0.1:6443 is not a probedrill cluster: predictions assume the kubelet's defaults (back-off cap 300s)"}
}

// observedLike is what a drill that matched its prediction would show.
func observedLike(predicted timeline.Timeline, window time.Duration) Outcome {
	var at []time.Duration
	for _, e := range predicted.Of(timeline.Started) {
		if e.Instance > 0 {
			at = append(at, e.At.Round(time.Second))
		}
	}
	return observed(window, at...)
}

// observed builds an outcome from restart times, each after a liveness kill.
func observed(window time.Duration, restarts ...time.Duration) Outcome {
	var t timeline.Timeline
	for i, at := range restarts {
		t.Add(timeline.Entry{Kind: timeline.Killing, At: at - time.Second, Earliest: at - time.Second, Latest: at - time.Second,
			Instance: i, Message: "Container api failed liveness probe, will be restarted"})
		t.Add(timeline.Entry{Kind: timeline.Started, At: at, Earliest: at, Latest: at, Instance: i + 1})
	}
	return outcome(t, window)
}

func TestLiveReport(t *testing.T) {
	r := liveReport(t)
	var text, js bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden(t, "heavy-health-timeout.txt", text.Bytes())
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "heavy-health-timeout.json", js.Bytes())
	var back jsonReport
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Pass || back.FalseRestarts != 2 || len(back.Faults) != 5 {
		t.Errorf("JSON round trip: %v pass %v falseRestarts %d", err, back.Pass, back.FalseRestarts)
	}
}

// TestReportFitsAProjector: table and prose stay within 100 columns; only
// the kubectl-style probe lines may be longer.
func TestReportFitsAProjector(t *testing.T) {
	var b bytes.Buffer
	if err := liveReport(t).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if n := len([]rune(line)); n > 100 && !strings.Contains(line, "successThreshold=") {
			t.Errorf("%d columns: %q", n, line)
		}
	}
}
