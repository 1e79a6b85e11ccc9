package observe

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/probedrill/probedrill/internal/timeline"
)

func TestDeletion(t *testing.T) {
	c0 := "containerd://c0"
	cases := []struct {
		name string
		feed func(s *state)
		want []timeline.Entry
	}{{
		name: "graceful deletion: the request time is deletionTimestamp minus the grace period",
		feed: func(s *state) {
			s.pod(newPod(running(c0, 0, 1, nil)))
			s.pod(newPod(running(c0, 0, 1, nil), deleting(100, 30)))
			s.podGone(newPod(running(c0, 0, 1, nil), deleting(100, 30)))
		},
		want: []timeline.Entry{
			want(1, timeline.Started, 0, withID(c0)),
			deletedAt(100, "pod seed deleted (grace period 30s)", false),
		},
	}, {
		name: "removed while the watch was down, no deletionTimestamp seen: estimated now",
		feed: func(s *state) {
			s.pod(newPod(running(c0, 0, 1, nil)))
			s.podGone(newPod(running(c0, 0, 1, nil)))
		},
		want: []timeline.Entry{
			want(1, timeline.Started, 0, withID(c0)),
			deletedAt(600, "pod seed deleted (grace period 0s)", true),
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newState(target{namespace: ns, name: podName}, fixedNow)
			c.feed(s)
			if diff := cmp.Diff(c.want, s.timeline().Entries); diff != "" {
				t.Errorf("timeline (-want +got):\n%s", diff)
			}
		})
	}
}

func deletedAt(s int, msg string, est bool) timeline.Entry {
	x := want(s, timeline.PodDeleted, 0)
	x.Container, x.Message, x.Estimated = "", msg, est
	return x
}

// A probe can fail in the very second the next instance starts; it belongs
// to the instance it ends. A probe failure after that second belongs to the
// new instance.
func TestInstanceAttributionAtSecondResolution(t *testing.T) {
	s := newState(target{namespace: ns, name: podName}, fixedNow)
	s.pod(newPod(running("containerd://c1", 1, 80, terminated("containerd://c0", 1, 80, 137, "Error"))))
	s.event(newEvent("u", "Warning", "Unhealthy", msgUnhealthy, 1, 80, 80))
	s.event(newEvent("v", "Warning", "Unhealthy", "Liveness probe failed: Get \"http://10.244.0.7:8080/\": dial tcp 10.244.0.7:8080: connect: connection refused", 1, 81, 81))
	got := map[int]int{}
	for _, e := range s.timeline().Of(timeline.ProbeFailed) {
		got[int(e.At.Seconds())] = e.Instance
	}
	if want := map[int]int{80: 0, 81: 1}; !cmp.Equal(got, want) {
		t.Errorf("instances by second = %v, want %v", got, want)
	}
}

// restartPolicy Never: the container stays terminated; no restart follows.
func TestTerminatedWithoutRestart(t *testing.T) {
	s := newState(target{namespace: ns, name: podName}, fixedNow)
	p := newPod()
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name: ctr, ContainerID: "containerd://c0",
		State: corev1.ContainerState{Terminated: terminated("containerd://c0", 1, 110, 137, "Error")},
	}}
	s.pod(p)
	wantEntries := []timeline.Entry{
		want(1, timeline.Started, 0, withID("containerd://c0")),
		want(110, timeline.Terminated, 0, func(x *timeline.Entry) {
			x.ContainerID, x.ExitCode, x.Reason = "containerd://c0", timeline.Int32(137), "Error"
		}),
	}
	if diff := cmp.Diff(wantEntries, s.timeline().Entries); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

// A Ready=False whose transition time moved after the container started,
// before the pod was ever Ready (a loaded CI run: +4s, the first Ready at
// +5s), is no NotReady either; the False after that Ready is.
func TestNotReadyOnlyAfterReady(t *testing.T) {
	s := newState(target{namespace: ns, name: podName}, fixedNow)
	s.pod(newPod(ready(corev1.ConditionFalse, 1)))
	s.pod(newPod(running("containerd://c0", 0, 2, nil), ready(corev1.ConditionFalse, 4)))
	s.pod(newPod(running("containerd://c0", 0, 2, nil), ready(corev1.ConditionTrue, 5)))
	s.pod(newPod(running("containerd://c0", 0, 2, nil), ready(corev1.ConditionFalse, 17)))
	var got []string
	for _, e := range s.timeline().Entries {
		if e.Kind == timeline.Ready || e.Kind == timeline.NotReady {
			got = append(got, fmt.Sprintf("%s %v", e.Kind, e.At))
		}
	}
	if want := []string{"Ready 5s", "NotReady 17s"}; !slices.Equal(got, want) {
		t.Errorf("readiness entries %v, want %v", got, want)
	}
}

// The Ready=False a pod starts with is not a NotReady transition.
func TestInitialNotReadyIsNotATransition(t *testing.T) {
	s := newState(target{namespace: ns, name: podName}, fixedNow)
	s.pod(newPod(ready(corev1.ConditionFalse, 0)))
	s.pod(newPod(running("containerd://c0", 0, 1, nil), ready(corev1.ConditionFalse, 0)))
	if got := s.timeline().Of(timeline.NotReady); len(got) != 0 {
		t.Errorf("NotReady entries = %v, want none", got)
	}
}

// A Deployment drill follows the replacement pod; offsets count from the
// first pod's creation, and entries name their pod.
func TestSelectorFollowsReplacementPod(t *testing.T) {
	sel := labels.SelectorFromSet(labels.Set{"app": "seed"})
	s := newState(target{namespace: ns, selector: sel}, fixedNow)
	old := newPod(running("containerd://a0", 0, 2, nil))
	s.pod(old)
	s.podGone(newPod(running("containerd://a0", 0, 2, nil), deleting(300, 30)))
	repl := newPod(running("containerd://b0", 0, 305, nil))
	repl.Name, repl.UID, repl.CreationTimestamp = "seed-2", types.UID("uid-2"), at(301)
	s.pod(repl)
	other := newPod()
	other.Name, other.UID, other.Labels = "unrelated", "uid-3", map[string]string{"app": "other"}
	s.pod(other)

	var got []string
	for _, e := range s.timeline().Entries {
		got = append(got, timeline.Offset(e.At)+" "+e.Pod+" "+string(e.Kind))
	}
	wantLines := []string{"+2s seed Started", "+5m0s seed PodDeleted", "+5m5s seed-2 Started"}
	if diff := cmp.Diff(wantLines, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}
