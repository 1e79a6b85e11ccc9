package verdict

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

var start = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func dur(s int) *metav1.Duration { return &metav1.Duration{Duration: sec(s)} }

// seedObservation is the seed drill seen for elapsed seconds (entries up to
// then): two kills,
// two restarts, a CrashLoopBackOff at +9m21s in the timeline, the kubelet's
// events, and the pod Running.
func seedObservation(elapsed int) Observation {
	entries := seedObserved()
	entries = append(entries, seen(timeline.BackOff, 6, 561, func(e *timeline.Entry) {
		e.Reason, e.Message = "CrashLoopBackOff", "back-off 2m40s restarting failed container=test2 pod=seed_drill(u-1)"
	}))
	var upToNow []timeline.Entry
	for _, e := range entries {
		e.Pod = "seed"
		if e.Kind == timeline.Started {
			e.ContainerID = "containerd://c" + string(rune('0'+e.Instance))
		}
		if e.At <= sec(elapsed) {
			upToNow = append(upToNow, e)
		}
	}
	return Observation{
		Timeline: timeline.Timeline{Start: start, Entries: upToNow},
		Events: []corev1.Event{
			event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 21, 60),
			event("Normal", "Killing", "Container test2 failed liveness probe, will be restarted", 6, 80),
			event("Warning", "BackOff", "Back-off restarting failed container test2 in pod seed_drill(u-1)", 4, 561),
			event("Warning", "Unhealthy", combinedPrefix+`Liveness probe failed: Get "http://10.244.0.7:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 3, 600),
		},
		Pod:          &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning}},
		PreviousLogs: "GET / 200\nGET / 500\nGET / 500\n",
		Elapsed:      sec(elapsed),
		Predicted:    seedPredicted(),
	}
}

func event(typ, reason, msg string, count int32, first int) corev1.Event {
	return corev1.Event{
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "seed", Namespace: "drill", UID: "u-1", FieldPath: "spec.containers{test2}"},
		Type:           typ, Reason: reason, Message: msg, Count: count,
		FirstTimestamp: metav1.NewTime(start.Add(sec(first))),
	}
}

func TestCheck(t *testing.T) {
	type obsEdit func(*Observation)
	final := func(o *Observation) { o.Final = true }
	only := func(kinds ...timeline.Kind) obsEdit { // keep entries of these kinds
		return func(o *Observation) {
			var keep []timeline.Entry
			for _, e := range o.Timeline.Entries {
				for _, k := range kinds {
					if e.Kind == k {
						keep = append(keep, e)
					}
				}
			}
			o.Timeline.Entries = keep
		}
	}
	cases := []struct {
		name    string
		expect  scenarios.Expect
		elapsed int
		edits   []obsEdit
		want    Outcome
		why     string
	}{
		{"restarts reached", scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 2, Within: dur(180)}}, 200, nil,
			Pass, "2 restarts by +3m0s (restart 2 at +2m45s)"},
		{"restarts not yet", scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 3, Within: dur(180)}}, 170, nil,
			Pending, "only 2 restarts by +2m50s"},
		{"restarts missed the deadline", scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 3, Within: dur(180)}}, 200, nil,
			Fail, "only 2 restarts by +3m0s (restart 2 at +2m45s)"},
		{"restarts pending fails when the drill is over", scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 3, Within: dur(180)}}, 170, []obsEdit{final},
			Fail, "only 2 restarts"},
		{"restarts above max", scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 1, Max: ptr(1), Within: dur(180)}}, 100, nil,
			Pending, "1 restart so far at +1m40s; at most 1 allowed until +3m0s"},
		{"restarts above max, later", scenarios.Expect{Restarts: &scenarios.RestartCount{Min: 1, Max: ptr(1), Within: dur(180)}}, 200, nil,
			Fail, "2 restarts by +3m0s, more than 1 (restart 2 at +2m45s)"},
		{"no restarts: healthy so far", scenarios.Expect{NoRestartsFor: dur(300)}, 200, []obsEdit{only(timeline.Started), func(o *Observation) { o.Timeline.Entries = o.Timeline.Entries[:1] }},
			Pending, "no restart so far, +3m20s of 5m0s observed"},
		{"no restarts: healthy", scenarios.Expect{NoRestartsFor: dur(300)}, 301, []obsEdit{func(o *Observation) { o.Timeline.Entries = o.Timeline.Entries[:1] }},
			Pass, "0 restarts and no kill in 5m0s"},
		{"no restarts: killed", scenarios.Expect{NoRestartsFor: dur(300)}, 301, nil,
			Fail, "Killing #0 at +1m20s, before +5m0s"},
		{"CrashLoopBackOff seen", scenarios.Expect{CrashLoopBackOff: true}, 600, nil,
			Pass, "at +9m21s: back-off 2m40s restarting failed container=test2 pod=seed_drill(u-1)"},
		{"CrashLoopBackOff not seen, drill over", scenarios.Expect{CrashLoopBackOff: true}, 200, []obsEdit{only(timeline.Started), final},
			Fail, "never seen in CrashLoopBackOff (2 restarts by +3m20s)"},
		{"back-off schedule as predicted", scenarios.Expect{BackOffSchedule: true}, 200, nil,
			Pass, "all 2 restarts inside their predicted windows"},
		{"back-off schedule: a restart not yet due", scenarios.Expect{BackOffSchedule: true}, 100, nil,
			Pending, "1 restart in their windows so far; restart 2 not due yet"},
		{"back-off schedule: late", scenarios.Expect{BackOffSchedule: true}, 300, []obsEdit{func(o *Observation) {
			o.Timeline.Entries[8].At = sec(212)
		}}, Fail, "restart 2 came at +3m32s, predicted +2m40s…+2m50s (42 s late: back-off longer than the model)"},
		{"back-off schedule without a prediction", scenarios.Expect{BackOffSchedule: true}, 300, []obsEdit{func(o *Observation) { o.Predicted = timeline.Timeline{} }},
			Fail, "no predicted restarts"},
		{"last termination as expected", scenarios.Expect{LastTermination: &scenarios.Termination{Reason: "Error", ExitCode: 143}}, 200, nil,
			Pass, "instance #0 exited 143 (Error) at +1m20s"},
		{"last termination differs", scenarios.Expect{LastTermination: &scenarios.Termination{Reason: "Error", ExitCode: 137}}, 200, nil,
			Fail, "instance #0 exited 143 (Error) at +1m20s"},
		{"event exact with {container}", scenarios.Expect{Events: []scenarios.EventExpect{{Type: "Normal", Reason: "Killing", Message: "Container {container} failed liveness probe, will be restarted"}}}, 200, nil,
			Pass, "seen 6 times, first at +1m20s"},
		{"event exact with {pod}, {namespace}, {uid}", scenarios.Expect{Events: []scenarios.EventExpect{{Type: "Warning", Reason: "BackOff", Message: "Back-off restarting failed container {container} in pod {pod}_{namespace}({uid})"}}}, 600, nil,
			Pass, "seen 4 times"},
		{"event by regexp, combined by the kubelet's aggregator", scenarios.Expect{Events: []scenarios.EventExpect{{Type: "Warning", Reason: "Unhealthy", MessageRegexp: `^Liveness probe failed: Get "http://[0-9.]+:8080/": context deadline exceeded`}}}, 600, nil,
			Pass, "seen 3 times"},
		{"event missing shows what was said instead", scenarios.Expect{Events: []scenarios.EventExpect{{Type: "Warning", Reason: "Unhealthy", Message: "Liveness probe failed: HTTP probe failed with statuscode: 503"}}}, 600, nil,
			Pending, `not recorded; Unhealthy events say: "Liveness probe failed: HTTP probe failed with statuscode: 500"`},
		{"new container IDs", scenarios.Expect{NewContainerIDs: true}, 200, nil,
			Pass, "3 instances, 3 distinct container IDs"},
		{"a reused container ID", scenarios.Expect{NewContainerIDs: true}, 200, []obsEdit{func(o *Observation) { o.Timeline.Entries[8].ContainerID = "containerd://c1" }},
			Fail, `restart 2 reused container ID "containerd://c1" of instance #1`},
		{"previous logs", scenarios.Expect{PreviousLogs: []string{"GET / 500"}}, 200, nil, Pass, "found"},
		{"previous logs lack a line", scenarios.Expect{PreviousLogs: []string{"panic"}}, 200, nil, Fail, `not found; the log ends with "GET / 500"`},
		{"previous logs not fetched yet", scenarios.Expect{PreviousLogs: []string{"panic"}}, 200, []obsEdit{func(o *Observation) { o.PreviousLogs = "" }}, Pending, "no previous logs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs := seedObservation(c.elapsed)
			for _, e := range c.edits {
				e(&obs)
			}
			s := &scenarios.Scenario{Name: "seed", Pod: scenarios.Pod{ContainerName: "test2"}, Expect: c.expect}
			fs := Check(s, obs)
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %v", fs)
			}
			if fs[0].Outcome != c.want || !strings.Contains(fs[0].Why, c.why) {
				t.Errorf("got  %s\nwant %s …%s…", fs[0], c.want, c.why)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
