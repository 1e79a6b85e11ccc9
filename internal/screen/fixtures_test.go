package screen

import (
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// The fixtures are a classroom-fast drill as a kind cluster shows it:
// kills at +17 s, +33 s and +58 s (3 s after its window: the last failure
// is late), three restarts, then CrashLoopBackOff at +1m8s. Times are whole
// seconds, as the API gives them.

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

const (
	ns  = "pd-classroom-fast-x7k2p"
	pod = "classroom-fast"
	ctr = "faultyapp"
	uid = types.UID("6f1c2a3b-0000-4000-8000-000000000001")
)

func sec(s int) time.Duration { return time.Duration(s) * time.Second }

// fixtureShow is the demo of classroom-fast in lang, as `demo` sets it up.
func fixtureShow(t *testing.T, lang predict.Lang) Show {
	t.Helper()
	s, err := scenarios.Get("classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := drill.Prepare(s, drill.Options{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return Show{Scenario: s, Predicted: plan.Predicted(), Lang: lang, Namespace: ns, Until: plan.Deadline}
}

// fixtureObserved is the observed timeline: per instance a start, three
// probe failures, a kill and an exit 143; instance 2 is killed late.
func fixtureObserved() timeline.Timeline {
	var tl timeline.Timeline
	add := func(e timeline.Entry, at int) {
		e.At, e.Earliest, e.Latest, e.Pod, e.Container = sec(at), sec(at), sec(at), pod, ctr
		tl.Add(e)
	}
	starts := []int{1, 18, 34, 59}
	failures := [][]int{{13, 15, 17}, {29, 31, 33}, {54, 56, 58}, {64, 66, 68}}
	unhealthy := int32(0)
	for i, start := range starts {
		add(timeline.Entry{Kind: timeline.Started, Instance: i, ContainerID: fmt.Sprintf("containerd://c%d", i)}, start)
		for _, f := range failures[i] {
			unhealthy++
			add(timeline.Entry{Kind: timeline.ProbeFailed, Instance: i, Type: "Warning", Count: unhealthy, Message: msgUnhealthy}, f)
		}
		end := failures[i][2]
		add(timeline.Entry{Kind: timeline.Killing, Instance: i, Type: "Normal", Count: int32(i + 1), Message: msgKilling}, end)
		add(timeline.Entry{Kind: timeline.Terminated, Instance: i, ContainerID: fmt.Sprintf("containerd://c%d", i),
			ExitCode: timeline.Int32(143), Reason: "Error"}, end)
	}
	add(timeline.Entry{Kind: timeline.BackOff, Instance: 3, Reason: "CrashLoopBackOff",
		Message: fmt.Sprintf("back-off 20s restarting failed container=%s pod=%s_%s(%s)", ctr, pod, ns, uid)}, 68)
	add(timeline.Entry{Kind: timeline.BackOff, Instance: 3, Type: "Warning", Count: 1, Message: msgBackOff}, 69)
	return tl
}

const (
	msgUnhealthy = "Liveness probe failed: HTTP probe failed with statuscode: 500"
	msgKilling   = "Container faultyapp failed liveness probe, will be restarted"
	msgBackOff   = "Back-off restarting failed container faultyapp in pod classroom-fast_" + ns + "(" + string(uid) + ")"
)

// seenBy is the observed timeline as seen at elapsed.
func seenBy(tl timeline.Timeline, elapsed time.Duration) timeline.Timeline {
	var out timeline.Timeline
	for _, e := range tl.Entries {
		if e.At <= elapsed {
			out.Add(e)
		}
	}
	return out
}

// fixtureSnapshot is the drill as seen at +s seconds.
func fixtureSnapshot(s int) Snapshot {
	now := t0.Add(sec(s))
	return Snapshot{
		Elapsed:  sec(s),
		Observed: seenBy(fixtureObserved(), sec(s)),
		Events:   fixtureEvents(s),
		Pod:      fixturePod(s),
		Now:      now,
	}
}

func at(s int) metav1.Time { return metav1.NewTime(t0.Add(sec(s))) }

// fixtureEvents are the pod's events at +s, aggregated as the API server
// stores them.
func fixtureEvents(s int) []corev1.Event {
	type ev struct {
		name, typ, reason, from, msg string
		times                        []int
		field                        bool
	}
	all := []ev{
		{"a", "Normal", "Scheduled", "default-scheduler", "Successfully assigned " + ns + "/" + pod + " to probedrill-worker", []int{0}, false},
		{"b", "Normal", "Pulled", "kubelet", `Container image "probedrill/faultyapp:v0.1.0" already present on machine`, []int{1, 18, 34, 59}, true},
		{"c", "Normal", "Created", "kubelet", "Created container: faultyapp", []int{1, 18, 34, 59}, true},
		{"d", "Normal", "Started", "kubelet", "Started container faultyapp", []int{1, 18, 34, 59}, true},
		{"e", "Warning", "Unhealthy", "kubelet", msgUnhealthy, []int{13, 15, 17, 29, 31, 33, 54, 56, 58, 64, 66, 68}, true},
		{"f", "Normal", "Killing", "kubelet", msgKilling, []int{17, 33, 58, 68}, true},
		{"g", "Warning", "BackOff", "kubelet", msgBackOff, []int{69}, true},
	}
	var out []corev1.Event
	for _, e := range all {
		var seen []int
		for _, t := range e.times {
			if t <= s {
				seen = append(seen, t)
			}
		}
		if len(seen) == 0 {
			continue
		}
		ref := corev1.ObjectReference{Kind: "Pod", Name: pod, Namespace: ns, UID: uid}
		if e.field {
			ref.FieldPath = "spec.containers{" + ctr + "}"
		}
		out = append(out, corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: pod + "." + e.name, Namespace: ns},
			InvolvedObject: ref,
			Type:           e.typ, Reason: e.reason, Message: e.msg, Count: int32(len(seen)),
			FirstTimestamp: at(seen[0]), LastTimestamp: at(seen[len(seen)-1]),
			Source: corev1.EventSource{Component: e.from},
		})
	}
	return out
}

// fixturePod is the pod's status at +s: running, or waiting in
// CrashLoopBackOff after the fourth kill.
func fixturePod(s int) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: pod, Namespace: ns, UID: uid, CreationTimestamp: at(0)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: ctr}}},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning},
	}
	restarts, started := 0, 1
	for i, st := range []int{18, 34, 59} {
		if s >= st {
			restarts, started = i+1, st
		}
	}
	cs := corev1.ContainerStatus{Name: ctr, RestartCount: int32(restarts), Ready: true,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: at(started)}}}
	if restarts > 0 {
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 143, Reason: "Error", FinishedAt: at(started - 1)}
	}
	if s >= 68 {
		cs.Ready, cs.State = false, corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 143, Reason: "Error", FinishedAt: at(68)}
	}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	return p
}
