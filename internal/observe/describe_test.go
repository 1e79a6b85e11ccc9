package observe

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// describeEvents are the seed pod's events ten minutes in: a scheduler event
// written through events.k8s.io/v1 (eventTime, reportingController, no
// lastTimestamp), kubelet events with counts, and a message with a trailing
// newline and an escape character that kubectl trims and escapes.
func describeEvents() []corev1.Event {
	scheduled := corev1.Event{
		ObjectMeta:          metav1.ObjectMeta{Name: "seed.1", Namespace: ns},
		InvolvedObject:      corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: podName, UID: podUID},
		Type:                "Normal",
		Reason:              "Scheduled",
		Message:             "Successfully assigned drill/seed to probedrill-worker",
		EventTime:           metav1.NewMicroTime(at(0).Time),
		ReportingController: "default-scheduler",
	}
	pulled := newEvent("pulled", "Normal", "Pulled", `Container image "faultyapp:dev" already present on machine`, 3, 1, 160)
	started := newEvent("started", "Normal", "Started", "Started container test2", 3, 1, 175)
	exec := newEvent("exec", "Warning", "Unhealthy", "Liveness probe failed: \x1b[31mnot ok\x1b[0m\n", 1, 590, 590)
	return []corev1.Event{
		*newEvent("unhealthy", "Warning", "Unhealthy", msgUnhealthy, 6, 60, 160),
		*newEvent("killing", "Normal", "Killing", msgKilling, 2, 80, 160),
		*newEvent("backoff", "Warning", "BackOff", msgBackOff, 1, 161, 161),
		scheduled, *pulled, *started, *exec,
	}
}

func TestFormatEventsLikeKubectlDescribe(t *testing.T) {
	got := FormatEvents(describeEvents(), at(600).Time)
	// Checked against k8s.io/kubectl v0.37.2 describe.DescribeEvents run on
	// the same events; ties in lastTimestamp (+160 s) keep the API's name order.
	want := `Events:
  Type     Reason     Age                    From               Message
  ----     ------     ----                   ----               -------
  Normal   Scheduled  10m                    default-scheduler  Successfully assigned drill/seed to probedrill-worker
  Normal   Killing    7m20s (x2 over 8m40s)  kubelet            spec.containers{test2}: Container test2 failed liveness probe, will be restarted
  Normal   Pulled     7m20s (x3 over 9m59s)  kubelet            spec.containers{test2}: Container image "faultyapp:dev" already present on machine
  Warning  Unhealthy  7m20s (x6 over 9m)     kubelet            spec.containers{test2}: Liveness probe failed: HTTP probe failed with statuscode: 500
  Warning  BackOff    7m19s                  kubelet            spec.containers{test2}: Back-off restarting failed container test2 in pod seed_drill(0b5c9e1f-seed)
  Normal   Started    7m5s (x3 over 9m59s)   kubelet            spec.containers{test2}: Started container test2
  Warning  Unhealthy  10s                    kubelet            spec.containers{test2}: Liveness probe failed: ^[[31mnot ok^[[0m
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FormatEvents (-want +got):\n%s", diff)
	}
}

func TestFormatNoEvents(t *testing.T) {
	if got, want := FormatEvents(nil, at(0).Time), "Events:  <none>\n"; got != want {
		t.Errorf("FormatEvents(nil) = %q, want %q", got, want)
	}
}
