package predict

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

// TestResolveDefaults: a scenario that skipped SetDefaults gets the API
// server's defaults (SetDefaults_Probe, SetDefaults_PodSpec) and faultyapp's.
func TestResolveDefaults(t *testing.T) {
	s := &scenarios.Scenario{App: scenarios.App{Fault: "fail-after"}}
	s.Pod.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromString("http")}}}
	s.Pod.ReadinessProbe = tcpProbe()
	d, err := resolve(s)
	if err != nil {
		t.Fatal(err)
	}
	live := d.probe(liveness)
	got := []any{d.container, d.policy, d.grace, d.app.after, d.app.sigterm, d.app.port,
		live.timeout, live.period, live.success, live.failure, live.path, live.port}
	want := []any{"faultyapp", corev1.RestartPolicyAlways, 30 * time.Second, 5, "exit", int32(8080),
		time.Second, 10 * time.Second, 1, 3, "/", int32(8080)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if d.probes[0].typ != readiness || d.probes[1].typ != liveness {
		t.Errorf("probes not in AddPod order (startup, readiness, liveness)")
	}
}

// TestResourceTimes: heavy-health's wall time under a CPU quota, and the
// leak's time to reach a memory limit at -leak-rate 10 MiB/s.
func TestResourceTimes(t *testing.T) {
	cases := []struct {
		res       corev1.ResourceRequirements
		wall, oom time.Duration
	}{
		{corev1.ResourceRequirements{}, 250 * time.Millisecond, 0},
		{limits(corev1.ResourceCPU, "100m"), 2500 * time.Millisecond, 0},
		{limits(corev1.ResourceCPU, "2"), 250 * time.Millisecond, 0},
		{limits(corev1.ResourceMemory, "64Mi"), 250 * time.Millisecond, 5600 * time.Millisecond},
	}
	for _, c := range cases {
		wall, oom := resourceTimes(scenarios.App{Resources: c.res})
		if wall != c.wall || oom != c.oom {
			t.Errorf("%v: wall %v, oom %v; want %v, %v", c.res.Limits, wall, oom, c.wall, c.oom)
		}
	}
}
