package probecheck

import (
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

// adaptHTTP resolves the port, plays HTTPS as HTTP, and keeps the path
// unless it is one of faultyapp's own routes.
func (c *Config) adaptHTTP(ps *scenarios.Problems, field, name string, h *corev1.HTTPGetAction) {
	c.adaptPort(ps, field+".httpGet.port", name, &h.Port)
	if h.Scheme == corev1.URISchemeHTTPS {
		h.Scheme = corev1.URISchemeHTTP
		c.note("%s is probed over HTTP: faultyapp serves no TLS, and the kubelet does not verify certificates, so the timings are the same.", name)
	}
	if reserved(h.Path) {
		c.note("%s path %s is one of faultyapp's own routes; it probes %s instead, which fails and hangs the same way.", name, h.Path, scenarios.HealthzPath)
		h.Path = scenarios.HealthzPath
	}
	if name == fieldLiveness {
		c.HealthPath = h.Path
	}
}

// reserved reports whether faultyapp answers path with something of its own:
// /fault (runtime control, 403 while off) and gRPC health.
func reserved(path string) bool {
	p, _, _ := strings.Cut(path, "?")
	return p == "/fault" || strings.HasPrefix(p, "/grpc.health.v1.Health/")
}

// adaptPort resolves a probe's port to a number. faultyapp listens on one
// port, the liveness probe's, so another probe's port is moved onto it.
func (c *Config) adaptPort(ps *scenarios.Problems, field, name string, port *intstr.IntOrString) {
	n, ok := c.resolvePort(ps, field, *port)
	if !ok {
		return
	}
	if name == fieldLiveness {
		c.Port = n
	} else if n != c.Port {
		c.note("%s port %d is served on %d: faultyapp listens on one port, the liveness probe's.", name, n, c.Port)
	}
	*port = intstr.FromInt32(c.Port)
}

// resolvePort turns a number or a container port name into a port number.
func (c *Config) resolvePort(ps *scenarios.Problems, field string, port intstr.IntOrString) (int32, bool) {
	if port.Type == intstr.Int {
		if port.IntVal < 1 || port.IntVal > 65535 {
			ps.Add(field, "use 1 to 65535, or the name of a containerPort", "%d is not a port", port.IntVal)
			return 0, false
		}
		return port.IntVal, true
	}
	for _, p := range c.Input.Ports {
		if p.Name == port.StrVal {
			return p.ContainerPort, true
		}
	}
	if c.Input.Container == "" { // a bare probe has no ports to look the name up in
		c.note("port %q is assumed to be %d: a bare probe has no container ports to look it up in.", port.StrVal, scenarios.DefaultPort)
		return scenarios.DefaultPort, true
	}
	ps.Add(field, fmt.Sprintf("name a containerPort %q in container %s, or use the port number", port.StrVal, c.Input.Container),
		"%q is not a port name of container %s", port.StrVal, c.Input.Container)
	return 0, false
}

func (c *Config) note(format string, args ...any) {
	c.Notes = append(c.Notes, fmt.Sprintf(format, args...))
}

// validate runs the API server's probe rules, as scenarios.Validate knows
// them, on a scenario that carries only the user's probes, and reports its
// problems against the user's fields.
func (c *Config) validate() error {
	s := c.scenario("check", scenarios.App{Fault: scenarios.FaultNone})
	s.Expect = scenarios.Expect{NoRestartsFor: &metav1.Duration{Duration: scenarios.SlowAfter}}
	s.SetDefaults()
	s.Labels = labelsOf(s)
	err := s.Validate()
	var invalid *scenarios.InvalidError
	if err == nil || !errors.As(err, &invalid) {
		return err
	}
	ps := scenarios.NewProblems(c.Input.File)
	for _, p := range invalid.Problems {
		field, ok := c.userField(p.Field)
		if !ok {
			return fmt.Errorf("internal: the check scenario is invalid: %w", err)
		}
		ps.Add(field, p.Fix, "%s", p.What)
	}
	return ps.Err()
}

// userField maps a scenario field (pod.livenessProbe.periodSeconds) to where
// the user wrote it (spec.containers[0].livenessProbe.periodSeconds).
func (c *Config) userField(f string) (string, bool) {
	if f == "pod.terminationGracePeriodSeconds" {
		return c.Input.graceField(), true
	}
	for _, name := range []string{fieldLiveness, fieldReadiness, fieldStartup} {
		prefix := "pod." + name
		if f == prefix || strings.HasPrefix(f, prefix+".") {
			return joinField(c.Input.Field(name), strings.TrimPrefix(strings.TrimPrefix(f, prefix), ".")), true
		}
	}
	return "", false
}
