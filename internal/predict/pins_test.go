package predict

import (
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// observedAt builds an observed timeline of starts and exits (seconds from
// pod creation; exits with code 143, as faultyapp exits at SIGTERM).
func observedAt(starts, exits []float64) timeline.Timeline {
	var tl timeline.Timeline
	for i, s := range starts {
		tl.Add(timeline.Entry{Kind: timeline.Started, At: sec(s), Instance: i, Container: "test2", Pod: "p"})
	}
	for i, x := range exits {
		tl.Add(timeline.Entry{Kind: timeline.Terminated, At: sec(x), Instance: i, Container: "test2", Pod: "p",
			ExitCode: timeline.Int32(143), Reason: "Error"})
	}
	return tl
}

func entryOf(t *testing.T, tl timeline.Timeline, k timeline.Kind, inst int) timeline.Entry {
	t.Helper()
	for _, e := range tl.Of(k) {
		if e.Instance == inst {
			return e
		}
	}
	t.Fatalf("no %s #%d in %v", k, inst, tl.Entries)
	return timeline.Entry{}
}

// TestObservedLateStartShiftsWhatFollows: a first container that a busy
// node starts at +9 s instead of +1 s moves the probes, the kill and the
// restart with it, while its own entry is still judged against the model's
// first-start window.
func TestObservedLateStartShiftsWhatFollows(t *testing.T) {
	s := scenario("fail-after", 5, "exit", httpProbe("/", 2, 3, 1))
	plain, err := Predict(s, Kubelet{})
	if err != nil {
		t.Fatal(err)
	}
	cond, err := Predict(s, Kubelet{}, WithObserved(observedAt([]float64{9}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := entryOf(t, plain.Timeline, timeline.Started, 0), entryOf(t, cond.Timeline, timeline.Started, 0); a.Earliest != b.Earliest || a.Latest != b.Latest {
		t.Errorf("the first start's own entry changed: %v [%v, %v] → %v [%v, %v]", a, a.Earliest, a.Latest, b, b.Earliest, b.Latest)
	}
	k := entryOf(t, cond.Timeline, timeline.Killing, 0)
	// Probes 6–8 of a container started at +9 s: the 8th probe is 1 s
	// (initial delay) + 7 periods after the first tick the status lets
	// through, so from 24 s; at most a period of phase, the status delay,
	// the probe's and the kill's latency later.
	kk := DefaultKubelet()
	latest := sec(24) + 2*time.Second + kk.StatusDelay.Max + kk.ProbeLatency.Max + kk.KillLatency.Max
	if k.Earliest < sec(23.5) || k.Latest > latest || k.Latest-k.Earliest < sec(1.5) {
		t.Errorf("kill after a start at +9 s: window [%v, %v], want within 23.5 s…%v", k.Earliest, k.Latest, latest)
	}
}

// TestObservedRestartsKeepTheBackOffRule: conditioned on the measured
// short-settings run (docs/kubelet-facts.md: restarts at 17, 33 and 49 s, each
// right after its kill, the fourth kill at 65 s), the fourth restart must
// still wait for the 20 s back-off from that exit, plus the pod worker's
// jitter (up to half the wait, then the next 1 s tick) and the restart
// latency: an immediate restart would be judged early.
func TestObservedRestartsKeepTheBackOffRule(t *testing.T) {
	s := scenario("fail-after", 5, "exit", httpProbe("/", 2, 3, 1))
	obs := observedAt([]float64{1, 17, 33, 49}, []float64{16, 32, 48, 65})
	k := DefaultKubelet()
	p, err := Predict(s, k, WithObserved(obs))
	if err != nil {
		t.Fatal(err)
	}
	r4 := entryOf(t, p.Timeline, timeline.Started, 4)
	latest := sec(65+20*1.5+1) + k.RestartLatency.Max + 2*time.Second // a period of phase in the kill
	if r4.Earliest < sec(65+20) || r4.Latest > latest {
		t.Errorf("restart 4 after the exit at 65 s: window [%v, %v], want within [1m25s, %v]", r4.Earliest, r4.Latest, latest)
	}
	if bo := entryOf(t, p.Timeline, timeline.BackOff, 3); bo.Earliest < sec(64) || bo.Latest > sec(65)+DefaultKubelet().StatusDelay.Max+time.Second {
		t.Errorf("CrashLoopBackOff after the exit at 65 s predicted [%v, %v]", bo.Earliest, bo.Latest)
	}
}

// TestObservedSlowRestartMovesTheBackOffDecision: restart k ≥ 3 waits only
// if the back-off exceeds the container's lifetime, and a slow node makes
// lifetimes longer. Observed restarts 5 s after each exit make instance 3
// live longer than 20 s, so restart 4 goes ahead (the kubelet would do the
// same), and the hold-back moves to restart 5. (The restarts come 7 s after
// each exit, so the 23 s lifetime is no near-tie with the 20 s back-off.)
func TestObservedSlowRestartMovesTheBackOffDecision(t *testing.T) {
	s := scenario("fail-after", 5, "exit", httpProbe("/", 2, 3, 1))
	obs := observedAt([]float64{1, 24, 47, 70}, []float64{17, 40, 63, 86})
	p, err := Predict(s, Kubelet{}, WithObserved(obs))
	if err != nil {
		t.Fatal(err)
	}
	if r4 := entryOf(t, p.Timeline, timeline.Started, 4); r4.Earliest > sec(86+1) {
		t.Errorf("restart 4 after the exit at 86 s: window [%v, %v], want no hold-back", r4.Earliest, r4.Latest)
	}
	for _, b := range p.Timeline.Of(timeline.BackOff) {
		if b.Instance < 4 {
			t.Errorf("a hold-back of instance %d predicted at %v: its predecessor lived longer than the back-off", b.Instance, b.At)
		}
	}
}

func TestPinsOfTheFirstPodOnly(t *testing.T) {
	tl := observedAt([]float64{1, 17}, []float64{16})
	tl.Add(timeline.Entry{Kind: timeline.Started, At: 300 * time.Second, Instance: 0, Container: "test2", Pod: "replacement"})
	pn := pinsOf(tl, "test2")
	if len(pn.starts) != 2 || pn.starts[0] != sec(1) || pn.starts[1] != sec(17) || pn.exits[0] != sec(16) {
		t.Errorf("pins %+v: want the first pod's two starts and one exit", pn)
	}
}

// TestObservedStartDuringHoldMeansDeleted: the kill of instance 4 at 102 s
// comes 37 s after instance 3's exit, under the 40 s back-off, so with
// instance 3 in the runtime the kill's sync holds until 142 s. Instance 5
// was seen running at 102 s, which only a doBackOff that found no exited
// container allows: instance 3 was deleted after its exit had shown (the
// replay startup-probe-too-short-fresh-machine), and the back-off did not
// move on, so the next hold says 40 s, not 1m20s.
func TestObservedStartDuringHoldMeansDeleted(t *testing.T) {
	s := scenario("fail-after", 5, "exit", httpProbe("/", 2, 3, 1))
	obs := observedAt([]float64{1, 17, 33, 49, 86, 102}, []float64{16, 32, 48, 65, 102, 118})
	p, err := Predict(s, Kubelet{}, WithObserved(obs))
	if err != nil {
		t.Fatal(err)
	}
	r5 := entryOf(t, p.Timeline, timeline.Started, 5)
	if r5.Earliest > sec(103) || !strings.Contains(r5.Why, "found no exited container") {
		t.Errorf("restart 5 predicted [%v, %v] (%s), want in the kill's sync at 102 s, explained by a deleted container", r5.Earliest, r5.Latest, r5.Why)
	}
	if bo := entryOf(t, p.Timeline, timeline.BackOff, 5); !strings.Contains(bo.Message, "back-off 40s ") {
		t.Errorf("CrashLoopBackOff of instance 5 says %q, want the 40 s back-off that restart 5 left as it was", bo.Message)
	}
}
