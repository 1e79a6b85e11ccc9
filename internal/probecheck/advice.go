package probecheck

import (
	"fmt"
	"math"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// advice is one line saying what to change after a failed verdict ("" when
// it passed). It is about the user's settings, in their field names.
func (c *Config) advice(r Result, o Options, window time.Duration) string {
	switch {
	case r.Pass:
		return ""
	case r.Must == MustCatch:
		return c.missAdvice(r, window)
	case r.Fault == scenarios.FaultSlowStart:
		return c.slowStartAdvice(r, o)
	case r.Fault == scenarios.FaultHeavyHealth:
		return c.heavyAdvice(r, o)
	}
	return "your probes restarted a healthy app: read the Unhealthy events of namespace " + r.Namespace
}

// missAdvice: why a must-catch fault went unnoticed.
func (c *Config) missAdvice(r Result, window time.Duration) string {
	p := c.Liveness
	switch {
	case p.TCPSocket != nil:
		return fmt.Sprintf("a tcpSocket probe only sees that the port accepts connections, and an app that %s still does: "+
			"probe an httpGet health endpoint that goes through the app's request path", verb(r.Fault))
	case r.Catch > window:
		return fmt.Sprintf("your probe needs about %s to catch this (periodSeconds %d × failureThreshold %d after the fault): "+
			"lower them, or watch longer with --minutes", roughly(r.Catch), p.PeriodSeconds, p.FailureThreshold)
	}
	return fmt.Sprintf("the liveness probe never failed %d times in a row within %s: make sure its path reaches code the fault breaks",
		p.FailureThreshold, window)
}

// slowStartAdvice: a healthy app killed while it was still starting.
func (c *Config) slowStartAdvice(r Result, o Options) string {
	need := ceilSeconds(o.Startup)
	if r.Deciding().KilledBy == "startup" && c.Startup != nil {
		p := c.Startup
		budget := time.Duration(p.InitialDelaySeconds+p.PeriodSeconds*p.FailureThreshold) * time.Second
		ft := int(math.Ceil(float64(need-int(p.InitialDelaySeconds))/float64(p.PeriodSeconds))) + 1
		return fmt.Sprintf("your startupProbe gives the app about %s to start (periodSeconds %d × failureThreshold %d) but it needs %s: "+
			"raise startupProbe.failureThreshold to ≥ %d", budget, p.PeriodSeconds, p.FailureThreshold, o.Startup, ft)
	}
	return fmt.Sprintf("the liveness probe runs out of failures before the app listens (%s): "+
		"add a startupProbe with periodSeconds × failureThreshold ≥ %ds, or set initialDelaySeconds ≥ %d", o.Startup, need, need)
}

// heavyAdvice: a slow health check timed out.
func (c *Config) heavyAdvice(r Result, o Options) string {
	lim := o.CPULimit
	if lim == nil {
		lim = c.Input.CPULimit
	}
	wall := HealthWall(o.Cost, lim)
	name, p := "livenessProbe", c.Liveness
	if r.Deciding().KilledBy == "startup" && c.Startup != nil {
		name, p = "startupProbe", c.Startup
	}
	return fmt.Sprintf("%s.timeoutSeconds %d is shorter than your health check under load (~%s): "+
		"raise it to ≥ %d, or make the health check cheaper", name, p.TimeoutSeconds, wall, ceilSeconds(wall)+1)
}

// roughly words a long duration for advice: to the minute past 10 minutes.
func roughly(d time.Duration) string {
	if d >= 10*time.Minute {
		return d.Round(time.Minute).String()
	}
	return strings.TrimPrefix(timeline.Offset(d), "+")
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

// firstRestart is the first predicted restart at any time (nominal), 0 if
// none is predicted within the prediction's horizon.
func firstRestart(t timeline.Timeline) time.Duration {
	for _, e := range t.Of(timeline.Started) {
		if e.Instance > 0 {
			return e.At
		}
	}
	return 0
}

// describeProbe is a probe as `kubectl describe pod` prints it
// (k8s.io/kubectl v0.37.2 pkg/describe DescribeProbe).
func describeProbe(p *corev1.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds successThreshold=%d failureThreshold=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.HTTPGet != nil:
		return fmt.Sprintf("http-get http://:%s%s %s", p.HTTPGet.Port.String(), p.HTTPGet.Path, attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket :%s %s", p.TCPSocket.Port.String(), attrs)
	}
	return "unknown " + attrs
}
