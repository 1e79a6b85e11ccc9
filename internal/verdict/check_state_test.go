package verdict

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// readinessObservation: a pod whose readiness fails after a minute; the
// edits add what a case needs.
func readinessObservation(elapsed int, entries ...timeline.Entry) Observation {
	base := []timeline.Entry{seen(timeline.Started, 0, 1), seen(timeline.Ready, 0, 5)}
	ready := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse}
	return Observation{
		Timeline: timeline.Timeline{Start: start, Entries: append(base, entries...)},
		Pod:      &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{ready}}},
		Elapsed:  sec(elapsed),
	}
}

func TestCheckNotReadyWithin(t *testing.T) {
	neverReady := func() Observation {
		o := readinessObservation(130)
		o.Timeline.Entries = o.Timeline.Entries[:1]
		return o
	}
	cases := []struct {
		name string
		obs  Observation
		want Outcome
		why  string
	}{
		{"NotReady in time", readinessObservation(90, seen(timeline.NotReady, 0, 65)), Pass, "NotReady at +1m5s, no restart"},
		{"still Ready", readinessObservation(90), Pending, "still Ready at +1m30s"},
		{"still Ready at the deadline", readinessObservation(130), Fail, "still Ready at +2m0s"},
		{"NotReady too late", readinessObservation(200, seen(timeline.NotReady, 0, 150)), Fail, "NotReady only at +2m30s"},
		{"restarted: readiness must not kill", readinessObservation(130, seen(timeline.NotReady, 0, 65), seen(timeline.Killing, 0, 80)),
			Fail, "Killing #0 at +1m20s: failing readiness must not restart the container"},
		{"never became Ready", neverReady(), Pass, "never became Ready, no restart"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &scenarios.Scenario{Pod: scenarios.Pod{ContainerName: "test2"}, Expect: scenarios.Expect{NotReadyWithin: dur(120)}}
			f := Check(s, c.obs)[0]
			if f.Outcome != c.want || !strings.Contains(f.Why, c.why) {
				t.Errorf("got  %s\nwant %s …%s…", f, c.want, c.why)
			}
		})
	}
}

func TestCheckNodeFailure(t *testing.T) {
	on := func(pod string, e timeline.Entry) timeline.Entry { e.Pod = pod; return e }
	obs := func(final bool, es ...timeline.Entry) Observation {
		return Observation{Timeline: timeline.Timeline{Start: start, Entries: es}, Elapsed: sec(400), Final: final}
	}
	started := on("web-a", seen(timeline.Started, 0, 2))
	deleted := on("web-a", seen(timeline.PodDeleted, 0, 340))
	replaced := on("web-b", seen(timeline.Started, 0, 352))
	cases := []struct {
		name, want string
		obs        Observation
		outcome    Outcome
		why        string
	}{
		{"Deployment pod recreated", scenarios.NodeFailureRecreated, obs(false, started, deleted, replaced), Pass, "pod web-a replaced by web-b, started at +5m52s"},
		{"Deployment pod not yet recreated", scenarios.NodeFailureRecreated, obs(false, started, deleted), Pending, "still in place"},
		{"bare pod lost", scenarios.NodeFailureLost, obs(false, started, deleted), Pass, "pod web-a deleted at +5m40s and nothing replaced it"},
		{"bare pod replaced?", scenarios.NodeFailureLost, obs(false, started, deleted, replaced), Fail, "a bare pod has no controller"},
		{"bare pod never lost", scenarios.NodeFailureLost, obs(true, started), Fail, "still in place"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &scenarios.Scenario{Expect: scenarios.Expect{NodeFailure: c.want}}
			f := Check(s, c.obs)[0]
			if f.Outcome != c.outcome || !strings.Contains(f.Why, c.why) {
				t.Errorf("got  %s\nwant %s …%s…", f, c.outcome, c.why)
			}
		})
	}
}

// Check reports one finding per expectation, in Expect's order, and the
// helpers summarise them.
func TestCheckOrderAndSummary(t *testing.T) {
	s := &scenarios.Scenario{Pod: scenarios.Pod{ContainerName: "test2"}, Expect: scenarios.Expect{
		Restarts:         &scenarios.RestartCount{Min: 1, Within: dur(120)},
		CrashLoopBackOff: true,
		LastTermination:  &scenarios.Termination{Reason: "Error", ExitCode: 143},
		Events: []scenarios.EventExpect{
			{Type: "Normal", Reason: "Killing", Message: "Container {container} failed liveness probe, will be restarted"},
			{Type: "Warning", Reason: "Unhealthy", Message: "Liveness probe failed: HTTP probe failed with statuscode: 500"},
		},
		PreviousLogs: []string{"GET / 500", "GET / 200"},
	}}
	fs := Check(s, seedObservation(200))
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	want := []string{
		"PASS restarts ≥ 1 by +2m0s: 1 restart by +2m0s (restart 1 at +1m21s)",
		"WAIT CrashLoopBackOff seen: never seen in CrashLoopBackOff (2 restarts by +3m20s)",
		"PASS last termination 143 (Error): instance #0 exited 143 (Error) at +1m20s",
		`PASS Normal Killing "Container {container} failed liveness probe, will be restarted": seen 6 times, first at +1m20s`,
		`PASS Warning Unhealthy "Liveness probe failed: HTTP probe failed with statuscode: 500": seen 21 times, first at +1m0s`,
		`PASS logs --previous contain "GET / 500": found`,
		`PASS logs --previous contain "GET / 200": found`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if AllPassed(fs) || len(Unsettled(fs)) != 1 {
		t.Errorf("AllPassed = %v, Unsettled = %v; want false and the CrashLoopBackOff finding", AllPassed(fs), Unsettled(fs))
	}
}

// A container that started late moves the deadlines that follow its start.
func TestCheckMovesDeadlinesByLateStarts(t *testing.T) {
	s := &scenarios.Scenario{Pod: scenarios.Pod{ContainerName: "test2"},
		Expect: scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 2, Within: dur(60)}}}
	obs := Observation{Timeline: timeline.Timeline{Start: start, Entries: []timeline.Entry{
		seen(timeline.Started, 0, 1), seen(timeline.Started, 1, 40), seen(timeline.Started, 2, 75),
	}}, Elapsed: sec(80)}
	if f := Check(s, obs)[0]; f.Outcome != Fail {
		t.Errorf("without lateness: %s", f)
	}
	obs.Late = []time.Duration{0, sec(20)} // restart 1 came 20 s later than usual
	f := Check(s, obs)[0]
	if f.Outcome != Pass || !strings.Contains(f.Expect, "by +1m20s (+1m0s; it started 20 s late)") {
		t.Errorf("restart 2 after a late restart 1: %s", f)
	}
}

// lastTermination: an OOM kill containerd reported as Error passes only
// when an earlier one was reported as OOMKilled.
func TestCheckLastTerminationOOMReadAsError(t *testing.T) {
	s := &scenarios.Scenario{Pod: scenarios.Pod{ContainerName: "test2"},
		Expect: scenarios.Expect{LastTermination: &scenarios.Termination{Reason: "OOMKilled", ExitCode: 137}}}
	obs := func(reasons ...string) Observation {
		var es []timeline.Entry
		for i, r := range reasons {
			es = append(es, seen(timeline.Terminated, i, 10*(i+1), exit(137, r)))
		}
		return Observation{Timeline: timeline.Timeline{Start: start, Entries: es}, Elapsed: sec(60), Final: true}
	}
	if f := Check(s, obs("OOMKilled", "Error"))[0]; f.Outcome != Pass {
		t.Errorf("an earlier OOMKilled: %s", f)
	}
	if f := Check(s, obs("Error", "Error"))[0]; f.Outcome != Fail {
		t.Errorf("never OOMKilled: %s", f)
	}
}
