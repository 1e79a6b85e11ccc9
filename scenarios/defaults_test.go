package scenarios

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestSetDefaults(t *testing.T) {
	s := &Scenario{
		Name: "mine",
		App:  App{Fault: FaultExecFile},
		Pod: Pod{LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
			HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(8080)}}}},
	}
	s.SetDefaults()
	after, grace := DefaultAfter, DefaultGracePeriod
	wantApp := App{Fault: FaultExecFile, After: &after, HealthFile: "/tmp/healthy", OnSigterm: "exit", Port: 8080}
	if d := cmp.Diff(wantApp, s.App); d != "" {
		t.Errorf("app (-want +got):\n%s", d)
	}
	wantPod := Pod{
		Kind: KindPod, Name: "mine", ContainerName: "faultyapp", RestartPolicy: corev1.RestartPolicyAlways,
		TerminationGracePeriodSeconds: &grace,
		LivenessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}},
			TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
		},
	}
	if d := cmp.Diff(wantPod, s.Pod); d != "" {
		t.Errorf("pod (-want +got):\n%s", d)
	}
}

func TestSetDefaultsKeepsValuesAndIsIdempotent(t *testing.T) {
	s, err := Get("probe-grace-period")
	if err != nil {
		t.Fatal(err)
	}
	before := *s
	s.SetDefaults()
	if d := cmp.Diff(&before, s); d != "" {
		t.Errorf("second SetDefaults changed (-before +after):\n%s", d)
	}
	if g := *s.Pod.TerminationGracePeriodSeconds; g != 60 {
		t.Errorf("grace = %d, want the scenario's 60", g)
	}
}

func TestSetDefaultsLeavesAfterAloneForUncountedFaults(t *testing.T) {
	s := &Scenario{App: App{Fault: FaultAuthHealth}}
	s.SetDefaults()
	if s.App.After != nil || s.App.HealthFile != "" {
		t.Errorf("auth-health got after=%v healthFile=%q; only counted faults read them", s.App.After, s.App.HealthFile)
	}
}
