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

// The reports are rendered from fixed outcomes, not from the predictor, so
// that a change of the model (tested by TestPredictedVerdicts) does not
// rewrite them; the window is fixed for the same reason.

// restartsAt is an outcome with restarts at the given offsets after liveness
// kills; a predicted one gets windows of -2 s…+1 s around each.
func restartsAt(predicted bool, at ...time.Duration) Outcome {
	var t timeline.Timeline
	t.Add(timeline.Entry{Kind: timeline.Started, At: time.Second, Earliest: time.Second, Latest: time.Second})
	for i, a := range at {
		early, late := a, a
		if predicted {
			early, late = a-2*time.Second, a+time.Second
		}
		t.Add(timeline.Entry{Kind: timeline.Killing, At: a - time.Second, Earliest: a - time.Second, Latest: a - time.Second,
			Instance: i, Message: "Container api failed liveness probe, will be restarted"})
		t.Add(timeline.Entry{Kind: timeline.Started, At: a, Earliest: early, Latest: late, Instance: i + 1})
	}
	return outcome(t, 100*time.Second)
}

// judged is drill i of k with fixed outcomes (obs nil: a dry run).
func judged(k *Check, i int, pred Outcome, obs *Outcome, namespace string) Result {
	r := Result{Drill: k.Drills[i], Predicted: pred, Observed: obs, Namespace: namespace}
	r.judge()
	r.Advice = k.Config.advice(r, k.Options, k.Window)
	return r
}

func fixedWindow(o *Options) { o.Window = 100 * time.Second }

func TestDryRunReport(t *testing.T) {
	k := prepared(t, readExample(t, "seed-probe.yaml"), fixedWindow)
	s := time.Second
	preds := []Outcome{restartsAt(true, 81*s), restartsAt(true, 82*s), restartsAt(true, 82*s),
		restartsAt(true, 31*s, 61*s, 91*s), restartsAt(true)}
	var results []Result
	for i, p := range preds {
		results = append(results, judged(k, i, p, nil, ""))
	}
	r := Report{Check: k, Results: results, DryRun: true}
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
// predicted, except heavy-health, restarted later than predicted, and hang,
// whose container the cluster started late.
func liveReport(t *testing.T) Report {
	k := prepared(t, readExample(t, "heavy-health-timeout.yaml"), fixedWindow)
	s := time.Second
	type run struct{ pred, obs Outcome }
	runs := []run{
		{restartsAt(true, 56*s), restartsAt(false, 56*s)},
		{restartsAt(true, 67*s), restartsAt(false, 66*s)},
		{restartsAt(true, 57*s), restartsAt(false, 57*s)},
		{restartsAt(true), restartsAt(false)},
		{restartsAt(true, 57*s), restartsAt(false, 63*s, 99*s)},
	}
	var results []Result
	for i, r := range runs {
		results = append(results, judged(k, i, r.pred, &r.obs, "pd-check-"+k.Drills[i].Fault+"-x1y2z"))
	}
	results[1].StartedAt, results[2].StartedAt = 11*s, 9*s
	return Report{Check: k, Results: results, Note: "https://10.0.0.1:6443 is not a probedrill cluster: predictions assume the kubelet's defaults (back-off cap 300s)"}
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
