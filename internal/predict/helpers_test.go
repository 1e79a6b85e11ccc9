package predict

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

// Builders for the test scenarios: small on purpose, so each table entry
// reads as the drill it models. Zero probe fields are left for the
// predictor's own defaults, as a scenario that skipped SetDefaults would.

func httpProbe(path string, period, threshold, delay int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: path, Port: intstr.FromInt32(8080)}},
		PeriodSeconds: period, FailureThreshold: threshold, InitialDelaySeconds: delay,
	}
}

func tcpProbe() *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}}}
}

func grpcProbe() *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 8080}}}
}

func execProbe() *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{
		Command: []string{"/faultyapp", "check", "-file", "/tmp/healthy"}}}}
}

// scenario builds a drill; after < 0 leaves -after to its default.
func scenario(fault string, after int, sigterm string, live *corev1.Probe) *scenarios.Scenario {
	s := &scenarios.Scenario{Name: "t", App: scenarios.App{Fault: fault, OnSigterm: sigterm}}
	if after >= 0 {
		s.App.After = &after
	}
	s.Pod.ContainerName = "test2"
	s.Pod.LivenessProbe = live
	return s
}

// with applies changes to a scenario, for one-line table entries.
func with(s *scenarios.Scenario, change func(*scenarios.Scenario)) *scenarios.Scenario {
	change(s)
	return s
}

func limits(name corev1.ResourceName, q string) corev1.ResourceRequirements {
	return corev1.ResourceRequirements{Limits: corev1.ResourceList{name: resource.MustParse(q)}}
}

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func ptr[T any](v T) *T { return &v }

// quiet is a kubelet on an idle machine: DefaultKubelet's nominal values
// with spans as narrow as an idle probedrill cluster shows, for tests about
// the model's mechanics rather than a busy node's latencies.
func quiet() Kubelet {
	k := DefaultKubelet()
	k.FirstStart = Span{500 * time.Millisecond, time.Second, 3 * time.Second}
	k.WorkerLead = Span{300 * time.Millisecond, 800 * time.Millisecond, time.Second}
	k.RestartLatency = Span{300 * time.Millisecond, 700 * time.Millisecond, 2 * time.Second}
	k.ExitLatency = Span{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	k.StatusDelay = Span{0, 500 * time.Millisecond, time.Second}
	k.ProbeLatency = Span{0, 0, time.Millisecond}
	k.KillLatency = Span{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	return k
}
