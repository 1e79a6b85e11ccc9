package predict

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

// Builders for the test scenarios: small on purpose, so each table entry
// reads as the drill it models.

func httpProbe(path string, period, threshold, delay int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: path, Port: intstr.FromInt32(8080)}},
		PeriodSeconds: period, FailureThreshold: threshold, InitialDelaySeconds: delay,
	}
}

func scenario(fault string, after int, sigterm string, live *corev1.Probe) *scenarios.Scenario {
	s := &scenarios.Scenario{Name: "t", App: scenarios.App{Fault: fault, OnSigterm: sigterm}}
	if after >= 0 {
		s.App.After = &after
	}
	s.Pod.ContainerName = "test2"
	s.Pod.LivenessProbe = live
	return s
}

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
