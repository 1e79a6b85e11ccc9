package cluster

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func node(name string, ready corev1.ConditionStatus, msg string) corev1.Node {
	n := corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if ready != "" {
		n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: ready, Message: msg}}
	}
	return n
}

func TestNotReady(t *testing.T) {
	cases := []struct {
		name  string
		nodes []corev1.Node
		want  int
		why   string
	}{
		{"all ready", []corev1.Node{node("a", "True", ""), node("b", "True", "")}, 2, ""},
		{"one missing", []corev1.Node{node("a", "True", "")}, 3, "1 of 3 nodes registered"},
		{"one not ready", []corev1.Node{node("a", "True", ""), node("b", "False", "container runtime network not ready")}, 2,
			"node b is NotReady (container runtime network not ready)"},
		{"no condition yet", []corev1.Node{node("a", "", "")}, 1, "node a is NotReady (no Ready condition yet)"},
	}
	for _, c := range cases {
		if got := notReady(c.nodes, c.want); got != c.why {
			t.Errorf("%s: got %q, want %q", c.name, got, c.why)
		}
	}
}

func TestReadyEndpointPods(t *testing.T) {
	ep := func(pod string, ready *bool) discoveryv1.Endpoint {
		return discoveryv1.Endpoint{
			Conditions: discoveryv1.EndpointConditions{Ready: ready},
			TargetRef:  &corev1.ObjectReference{Kind: "Pod", Name: pod},
		}
	}
	slices := []discoveryv1.EndpointSlice{
		{Endpoints: []discoveryv1.Endpoint{ep("coredns-b", ptr.To(true)), ep("coredns-a", nil), ep("coredns-c", ptr.To(false))}},
		{Endpoints: []discoveryv1.Endpoint{ep("coredns-b", ptr.To(true)), {Addresses: []string{"10.0.0.1"}}}},
	}
	if diff := cmp.Diff([]string{"coredns-a", "coredns-b"}, readyEndpointPods(slices)); diff != "" {
		t.Errorf("ready pods (-want +got):\n%s", diff)
	}
}

func TestMaxRestartPeriodFromConfigz(t *testing.T) {
	cases := map[string]time.Duration{
		`{"kubeletconfig":{"crashLoopBackOff":{"maxContainerRestartPeriod":"30s"}}}`: 30 * time.Second,
		`{"kubeletconfig":{"crashLoopBackOff":{}}}`:                                  300 * time.Second,
		`{"kubeletconfig":{"failCgroupV1":false}}`:                                   300 * time.Second,
	}
	for body, want := range cases {
		got, err := maxRestartPeriod([]byte(body))
		if err != nil || got != want {
			t.Errorf("%s: got %v, %v; want %v", body, got, err, want)
		}
	}
	if _, err := maxRestartPeriod([]byte("not json")); err == nil {
		t.Error("want an error for a body that is not JSON")
	}
}
