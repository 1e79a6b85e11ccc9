package screen

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

func TestDescribeProbe(t *testing.T) {
	service := "health"
	cases := []struct {
		handler corev1.ProbeHandler
		want    string
	}{
		{corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}},
			"http-get http://:8080/ delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}},
			"tcp-socket :8080 delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"/faultyapp", "check"}}},
			"exec [/faultyapp check] delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9090, Service: &service}},
			"grpc <pod>:9090 health delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
	}
	for _, c := range cases {
		p := &corev1.Probe{ProbeHandler: c.handler}
		scenarios.SetProbeDefaults(p)
		if got := describeProbe(p); got != c.want {
			t.Errorf("describeProbe = %q, want %q", got, c.want)
		}
	}
}

// TestGetPod checks the `kubectl get pod` row through the drill: starting,
// running after restarts ("2 (7s ago)"), and waiting in CrashLoopBackOff.
func TestGetPod(t *testing.T) {
	cases := []struct {
		at   int
		want string
	}{
		{5, "classroom-fast 1/1 Running 0 5s"},
		{40, "classroom-fast 1/1 Running 2 (7s ago) 40s"},
		{72, "classroom-fast 0/1 CrashLoopBackOff 3 (4s ago) 72s"},
	}
	for _, c := range cases {
		got := strings.Join(getPod(fixturePod(c.at), t0.Add(sec(c.at))), " ")
		if got != c.want {
			t.Errorf("at +%ds: %q, want %q", c.at, got, c.want)
		}
	}
}
