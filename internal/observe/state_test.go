package observe

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
)

// seedHistory is what the API server shows during the first two kills of the
// seed drill, one object version at a time.
func seedHistory() (pods []*corev1.Pod, events []*corev1.Event) {
	c0 := terminated("containerd://c0", 1, 80, 143, "Error")
	c1 := terminated("containerd://c1", 81, 160, 143, "Error")
	pods = []*corev1.Pod{
		newPod(),
		newPod(running("containerd://c0", 0, 1, nil), ready(corev1.ConditionTrue, 2)),
		newPod(running("containerd://c1", 1, 81, c0), ready(corev1.ConditionFalse, 80)),
		newPod(running("containerd://c1", 1, 81, c0), ready(corev1.ConditionTrue, 82)),
		newPod(crashLooping(1, c1, "10s", 161), ready(corev1.ConditionFalse, 160)),
		newPod(running("containerd://c2", 2, 175, c1), ready(corev1.ConditionTrue, 177)),
	}
	unhealthy := newEvent("unhealthy", "Warning", "Unhealthy", msgUnhealthy, 3, 60, 80)
	killing := newEvent("killing", "Normal", "Killing", msgKilling, 1, 80, 80)
	events = []*corev1.Event{
		unhealthy, killing,
		withCount(unhealthy, 4, 140), withCount(unhealthy, 5, 150), withCount(unhealthy, 6, 160),
		withCount(killing, 2, 160),
		newEvent("backoff", "Warning", "BackOff", msgBackOff, 1, 161, 161),
	}
	return pods, events
}

// Helpers that build expected entries of the seed pod's container.
func want(s int, k timeline.Kind, inst int, opts ...func(*timeline.Entry)) timeline.Entry {
	x := timeline.Entry{Kind: k, At: sec(s), Earliest: sec(s), Latest: sec(s), Instance: inst, Container: ctr, Pod: podName}
	for _, o := range opts {
		o(&x)
	}
	return x
}

func withID(id string) func(*timeline.Entry) { return func(x *timeline.Entry) { x.ContainerID = id } }

func exited(id string) func(*timeline.Entry) {
	return func(x *timeline.Entry) { x.ContainerID, x.ExitCode, x.Reason = id, timeline.Int32(143), "Error" }
}

func fromEvent(typ, msg string, n int32, est bool) func(*timeline.Entry) {
	return func(x *timeline.Entry) { x.Type, x.Message, x.Count, x.Estimated = typ, msg, n, est }
}

func unhealthy(n int32, est bool) func(*timeline.Entry) {
	return fromEvent("Warning", msgUnhealthy, n, est)
}

func killing(n int32) func(*timeline.Entry) { return fromEvent("Normal", msgKilling, n, false) }

// seedTimeline is the timeline hand-derived from seedHistory.
func seedTimeline() []timeline.Entry {
	return []timeline.Entry{
		want(1, timeline.Started, 0, withID("containerd://c0")),
		want(2, timeline.Ready, 0),
		want(60, timeline.ProbeFailed, 0, unhealthy(1, false)),
		want(70, timeline.ProbeFailed, 0, unhealthy(2, true)),
		want(80, timeline.ProbeFailed, 0, unhealthy(3, false)),
		want(80, timeline.NotReady, 0),
		want(80, timeline.Killing, 0, killing(1)),
		want(80, timeline.Terminated, 0, exited("containerd://c0")),
		want(81, timeline.Started, 1, withID("containerd://c1")),
		want(82, timeline.Ready, 1),
		want(140, timeline.ProbeFailed, 1, unhealthy(4, false)),
		want(150, timeline.ProbeFailed, 1, unhealthy(5, false)),
		want(160, timeline.ProbeFailed, 1, unhealthy(6, false)),
		want(160, timeline.NotReady, 1),
		want(160, timeline.Killing, 1, killing(2)),
		want(160, timeline.Terminated, 1, exited("containerd://c1")),
		want(161, timeline.BackOff, 1, func(x *timeline.Entry) {
			x.Reason = "CrashLoopBackOff"
			x.Message = "back-off 10s restarting failed container=test2 pod=seed_drill(0b5c9e1f-seed)"
		}),
		want(161, timeline.BackOff, 1, fromEvent("Warning", msgBackOff, 1, false)),
		want(175, timeline.Started, 2, withID("containerd://c2")),
		want(177, timeline.Ready, 2),
	}
}

// lateTimeline is what an observer started after the second restart can
// know: c0 has left the status, so everything up to c1's end is attributed
// to c1; the Unhealthy occurrences hidden in the count (2..5) are spread
// evenly between +60 s and +160 s and marked estimated; no Ready history.
func lateTimeline() []timeline.Entry {
	return []timeline.Entry{
		want(60, timeline.ProbeFailed, 1, unhealthy(1, false)),
		want(80, timeline.ProbeFailed, 1, unhealthy(2, true)),
		want(80, timeline.Killing, 1, killing(1)),
		want(81, timeline.Started, 1, withID("containerd://c1")),
		want(100, timeline.ProbeFailed, 1, unhealthy(3, true)),
		want(120, timeline.ProbeFailed, 1, unhealthy(4, true)),
		want(140, timeline.ProbeFailed, 1, unhealthy(5, true)),
		want(160, timeline.ProbeFailed, 1, unhealthy(6, false)),
		want(160, timeline.Killing, 1, killing(2)),
		want(160, timeline.Terminated, 1, exited("containerd://c1")),
		want(161, timeline.BackOff, 1, fromEvent("Warning", msgBackOff, 1, false)),
		want(175, timeline.Started, 2, withID("containerd://c2")),
		want(177, timeline.Ready, 2),
	}
}

func TestStateSeedHistory(t *testing.T) {
	pods, events := seedHistory()
	cases := []struct {
		name string
		feed func(s *state)
		want []timeline.Entry
	}{
		{"in order", func(s *state) { feedAll(s, pods, events) }, seedTimeline()},
		{"events before pods", func(s *state) { feedAll(s, nil, events); feedAll(s, pods, nil) }, seedTimeline()},
		{"every version twice (relists)", func(s *state) { feedAll(s, pods, events); feedAll(s, pods, events) }, seedTimeline()},
		{"only the last versions (observer started late)", func(s *state) {
			feedAll(s, pods[len(pods)-1:], []*corev1.Event{events[4], events[5], events[6]})
		}, lateTimeline()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newState(target{namespace: ns, name: podName}, fixedNow)
			c.feed(s)
			got := s.timeline()
			if diff := cmp.Diff(c.want, got.Entries); diff != "" {
				t.Errorf("timeline (-want +got):\n%s", diff)
			}
			if !got.Start.Equal(t0) {
				t.Errorf("Start = %v, want pod creation %v", got.Start, t0)
			}
		})
	}
}

func feedAll(s *state, pods []*corev1.Pod, events []*corev1.Event) {
	for _, p := range pods {
		s.pod(p)
	}
	for _, e := range events {
		s.event(e)
	}
}

func fixedNow() time.Time { return t0.Add(sec(600)) }
