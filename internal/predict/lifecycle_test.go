package predict

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// TestKillTermination: exit code, reason and kill-to-exit time by SIGTERM
// mode and grace period (kuberuntime_container.go killContainer,
// setTerminationGracePeriod; containerd's reasons).
func TestKillTermination(t *testing.T) {
	five, one := 5*time.Second, time.Second
	lat := 70 * time.Millisecond // ExitLatency in this run
	cases := []struct {
		name    string
		sigterm string
		fault   string
		policy  corev1.RestartPolicy
		grace   time.Duration // pod
		probe   *time.Duration
		want    termination
	}{
		{"exit", "exit", "fail-after", "Always", 30 * time.Second, nil, termination{exitedAtTerm, 143, "Error", lat, 30 * time.Second, true}},
		{"drain", "drain", "fail-after", "Always", 30 * time.Second, nil, termination{drained, 0, "Completed", lat, 30 * time.Second, true}},
		{"drain stuck in a deadlock", "drain", "deadlock", "Always", 30 * time.Second, nil, termination{drainStuck, 137, "Error", 30*time.Second + lat, 30 * time.Second, true}},
		{"ignore", "ignore", "fail-after", "Always", 30 * time.Second, nil, termination{sigkilled, 137, "Error", 30*time.Second + lat, 30 * time.Second, true}},
		{"probe grace wins", "ignore", "fail-after", "Always", 30 * time.Second, &five, termination{sigkilled, 137, "Error", 5*time.Second + lat, 5 * time.Second, true}},
		{"never below 2 s", "ignore", "fail-after", "Always", 30 * time.Second, &one, termination{sigkilled, 137, "Error", 2*time.Second + lat, 2 * time.Second, true}},
		{"Never: the pod's grace", "ignore", "fail-after", "Never", 30 * time.Second, &five, termination{sigkilled, 137, "Error", 30*time.Second + lat, 30 * time.Second, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			live := &probeSpec{typ: liveness, grace: c.probe}
			s := &sim{d: &drill{policy: c.policy, grace: c.grace, probes: []*probeSpec{live},
				app: app{fault: c.fault, sigterm: c.sigterm}}, p: params{exitLat: lat}}
			if got, _ := s.killTermination(&process{began: true}, liveness); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
