package owncheck

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/scenarios"
)

// Budget is how long the kubelet gives a starting container before its
// first probe kills it: initialDelaySeconds + failureThreshold ×
// periodSeconds of the startup probe, or of liveness when there is none
// (docs/kubelet-probes.md). Probe is "" when neither is set: no probe
// kills a slow start.
type Budget struct {
	Probe            string        `json:"probe,omitempty"`
	InitialDelay     time.Duration `json:"-"`
	Period           time.Duration `json:"-"`
	FailureThreshold int32         `json:"failureThreshold,omitempty"`
	Total            time.Duration `json:"-"`
}

// Stay is how long a container must be watched after it started serving
// for its liveness probe to have had a full chance to kill it:
// failureThreshold periods plus one timeout.
func stay(c *corev1.Container) time.Duration {
	l := probe(c.LivenessProbe)
	if l == nil {
		return 0
	}
	return secs(l.FailureThreshold*l.PeriodSeconds + l.TimeoutSeconds)
}

// budgetOf returns the container's cold-start budget.
func budgetOf(c *corev1.Container) Budget {
	name, p := "startupProbe", probe(c.StartupProbe)
	if p == nil {
		name, p = "livenessProbe", probe(c.LivenessProbe)
	}
	if p == nil {
		return Budget{}
	}
	b := Budget{Probe: name, InitialDelay: secs(p.InitialDelaySeconds), Period: secs(p.PeriodSeconds), FailureThreshold: p.FailureThreshold}
	b.Total = b.InitialDelay + time.Duration(b.FailureThreshold)*b.Period
	return b
}

// String is the budget as a teacher says it: "startupProbe: 0s + 3 × 1s = 3s".
func (b Budget) String() string {
	if b.Probe == "" {
		return "no startup or liveness probe: nothing kills a slow start"
	}
	return fmt.Sprintf("%s: %s + %d × %s = %s", b.Probe, b.InitialDelay, b.FailureThreshold, b.Period, b.Total)
}

// probe returns a copy of p with the API server's defaults, or nil.
func probe(p *corev1.Probe) *corev1.Probe {
	if p == nil {
		return nil
	}
	p = p.DeepCopy()
	scenarios.SetProbeDefaults(p)
	return p
}

func secs(n int32) time.Duration { return time.Duration(n) * time.Second }
