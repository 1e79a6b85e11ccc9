package probecheck

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/scenarios"
)

// Config is the user's probes as faultyapp can serve them: one port, plain
// HTTP, API defaults applied. The timings are never changed: they are what
// is being checked.
type Config struct {
	Input *Input
	// Port is the liveness probe's port, resolved: faultyapp listens on it.
	Port int32
	// HealthPath is the liveness probe's path: what the user's app treats as
	// its health check. "" for a tcpSocket liveness probe.
	HealthPath string
	// Liveness (always set), Readiness and Startup are defaulted copies.
	Liveness, Readiness, Startup *corev1.Probe
	// Grace is the pod's terminationGracePeriodSeconds, if the user set it.
	Grace *int64
	// Notes say what was adapted and why, one sentence each.
	Notes []string
}

// Build checks the input's probes and adapts them to faultyapp. Problems
// name the user's file and fields; all of them are reported at once.
func Build(in *Input) (*Config, error) {
	ps := scenarios.NewProblems(in.File)
	if in.Liveness == nil {
		ps.Add(in.containerField, "add a livenessProbe: check tests what a liveness probe catches and what it kills",
			"no livenessProbe")
		return nil, ps.Err()
	}
	c := &Config{Input: in, Grace: in.Grace}
	for _, np := range in.probes() {
		p := c.adapt(ps, np)
		switch np.field {
		case fieldLiveness:
			c.Liveness = p
		case fieldReadiness:
			c.Readiness = p
		case fieldStartup:
			c.Startup = p
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return c, c.validate()
}

// namedProbe is one of the input's probes with its field name.
type namedProbe struct {
	field string
	probe *corev1.Probe
}

// probes lists the probes that are set, liveness first: its port and path
// are what the others are adapted to.
func (in *Input) probes() []namedProbe {
	var out []namedProbe
	for _, np := range []namedProbe{{fieldLiveness, in.Liveness}, {fieldStartup, in.Startup}, {fieldReadiness, in.Readiness}} {
		if np.probe != nil {
			out = append(out, np)
		}
	}
	return out
}

// adapt checks one probe's handler and returns the copy faultyapp will face,
// or nil when the probe is left out (a readiness probe faultyapp cannot
// serve never restarts anything, so leaving it out changes no verdict).
func (c *Config) adapt(ps *scenarios.Problems, np namedProbe) *corev1.Probe {
	field := c.Input.Field(np.field)
	p := np.probe.DeepCopy()
	if !c.handlerOK(ps, field, np.field, p) {
		return nil
	}
	scenarios.SetProbeDefaults(p)
	switch {
	case p.HTTPGet != nil:
		c.adaptHTTP(ps, field, np.field, p.HTTPGet)
	case p.TCPSocket != nil:
		c.adaptPort(ps, field+".tcpSocket.port", np.field, &p.TCPSocket.Port)
	}
	return p
}

// handlerOK reports whether faultyapp can stand behind the probe's handler.
func (c *Config) handlerOK(ps *scenarios.Problems, field, name string, p *corev1.Probe) bool {
	names := scenarios.HandlerNames(p)
	switch {
	case len(names) == 0:
		ps.Add(field, "set httpGet, tcpSocket, exec or grpc", "no handler")
	case len(names) > 1:
		ps.Add(field, "keep one", "more than one handler (%s)", strings.Join(names, ", "))
	case p.Exec != nil || p.GRPC != nil:
		return c.unsupported(ps, field, name, names[0])
	case p.HTTPGet != nil && p.HTTPGet.Host != "":
		ps.Add(field+".httpGet.host", "remove host: the kubelet then probes the pod's own IP, which is what check tests",
			"%q probes another host, not this container", p.HTTPGet.Host)
	default:
		return true
	}
	return false
}

// unsupported handles exec and grpc probes. faultyapp cannot run the user's
// command (it is not the user's image), and its gRPC health only models
// NOT_SERVING, not hangs or slow starts behind the same timings.
func (c *Config) unsupported(ps *scenarios.Problems, field, name, handler string) bool {
	why := map[string]string{
		"exec": "an exec probe runs your command inside your image; faultyapp stands in for your app but cannot run your command",
		"grpc": "faultyapp's gRPC health cannot play hang, deadlock, slow start or a heavy check behind your grpc probe",
	}[handler]
	if name == fieldReadiness {
		c.Notes = append(c.Notes, fmt.Sprintf("readinessProbe (%s) left out: %s, and a readiness probe never restarts a container.", handler, why))
		return false
	}
	ps.Add(field+"."+handler, "check the same timings with an httpGet (or tcpSocket) probe on your app's port; for exec, test the command itself in your image",
		"%s", why)
	return false
}
