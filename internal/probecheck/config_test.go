package probecheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/scenarios"
)

// build parses and builds a config, failing the test on error.
func build(t *testing.T, yaml, container string) *Config {
	t.Helper()
	in, err := Parse("f.yaml", []byte(yaml), container)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBuildResolvesPortsAndDefaults(t *testing.T) {
	c := build(t, podYAML, "")
	if c.Port != 8081 || c.HealthPath != "/" {
		t.Errorf("port %d path %q", c.Port, c.HealthPath)
	}
	l := c.Liveness
	if l.HTTPGet.Port.IntVal != 8081 || l.PeriodSeconds != 10 || l.TimeoutSeconds != 1 || l.FailureThreshold != 3 {
		t.Errorf("liveness not resolved and defaulted: %+v", l)
	}
	if c.Input.Liveness.PeriodSeconds != 0 {
		t.Error("Build changed the input's probe")
	}
}

func TestBuildAdapts(t *testing.T) {
	cases := []struct {
		name, yaml, note string
	}{
		{"readiness on another port", "livenessProbe:\n  httpGet: {path: /, port: 8080}\nreadinessProbe:\n  httpGet: {path: /, port: 9090}\n",
			"readinessProbe port 9090 is served on 8080"},
		{"HTTPS", "livenessProbe:\n  httpGet: {path: /, port: 8443, scheme: HTTPS}\n", "livenessProbe is probed over HTTP"},
		{"faultyapp's control route", "livenessProbe:\n  httpGet: {path: /fault, port: 8080}\n", "path /fault is one of faultyapp's own routes"},
		{"named port in a bare probe", "livenessProbe:\n  httpGet: {path: /, port: http}\n", `port "http" is assumed to be 8080`},
		{"exec readiness", "livenessProbe:\n  tcpSocket: {port: 8080}\nreadinessProbe:\n  exec: {command: [cat, /tmp/ready]}\n",
			"readinessProbe (exec) left out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := build(t, c.yaml, "")
			if !strings.Contains(strings.Join(got.Notes, "\n"), c.note) {
				t.Errorf("notes %q lack %q", got.Notes, c.note)
			}
		})
	}
}

// TestBuildErrors: refusals and the API server's rules, in the user's fields.
func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"no liveness probe", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n",
			"f.yaml: spec.containers[0]: no livenessProbe; add a livenessProbe"},
		{"no handler", "livenessProbe:\n  periodSeconds: 5\n",
			"f.yaml: livenessProbe: no handler; set httpGet, tcpSocket, exec or grpc"},
		{"no handler in a Deployment", strings.Replace(deploymentYAML, "httpGet: {path: /healthz, port: 8080}", "periodSeconds: 5", 1),
			"f.yaml: spec.template.spec.containers[1].livenessProbe: no handler; set httpGet, tcpSocket, exec or grpc"},
		{"two handlers", "livenessProbe:\n  httpGet: {port: 8080}\n  tcpSocket: {port: 8080}\n",
			"f.yaml: livenessProbe: more than one handler (httpGet, tcpSocket); keep one"},
		{"exec liveness", "livenessProbe:\n  exec: {command: [cat, /tmp/healthy]}\n",
			"f.yaml: livenessProbe.exec: an exec probe runs your command inside your image; faultyapp stands in for your app but cannot run your command; check the same timings with an httpGet"},
		{"grpc startup", "livenessProbe:\n  tcpSocket: {port: 8080}\nstartupProbe:\n  grpc: {port: 8080}\n",
			"f.yaml: startupProbe.grpc: faultyapp's gRPC health cannot play"},
		{"host", "livenessProbe:\n  httpGet: {host: example.com, port: 80}\n",
			`f.yaml: livenessProbe.httpGet.host: "example.com" probes another host`},
		{"unknown port name", strings.Replace(podYAML, "port: web", "port: admin", 1),
			`f.yaml: spec.containers[0].livenessProbe.httpGet.port: "admin" is not a port name of container test2; name a containerPort "admin"`},
		{"port out of range", "livenessProbe:\n  tcpSocket: {port: 70000}\n",
			"f.yaml: livenessProbe.tcpSocket.port: 70000 is not a port"},
		{"successThreshold on liveness", "livenessProbe:\n  httpGet: {port: 8080}\n  successThreshold: 2\n",
			"f.yaml: livenessProbe.successThreshold: 2 for a liveness probe; leave it out: the API server accepts only 1 here"},
		{"negative period in a bare probe", "httpGet: {port: 8080}\nperiodSeconds: -1\n",
			"f.yaml: periodSeconds: -1 is less than 1"},
		{"grace on readiness", "livenessProbe:\n  httpGet: {port: 8080}\nreadinessProbe:\n  httpGet: {port: 8080}\n  terminationGracePeriodSeconds: 5\n",
			"f.yaml: readinessProbe.terminationGracePeriodSeconds: set on a readiness probe"},
		{"negative pod grace", strings.Replace(podYAML, "terminationGracePeriodSeconds: 10", "terminationGracePeriodSeconds: -1", 1),
			"f.yaml: spec.terminationGracePeriodSeconds: -1 is negative"},
		{"relative path", "livenessProbe:\n  httpGet: {path: healthz, port: 8080}\n",
			`f.yaml: livenessProbe.httpGet.path: "healthz"; start it with /`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			container := ""
			if strings.Contains(c.yaml, "kind: Deployment") {
				container = "web"
			}
			in, err := Parse("f.yaml", []byte(c.yaml), container)
			if err == nil {
				_, err = Build(in)
			}
			var invalid *scenarios.InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("want an InvalidError, got %v", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got\n  %v\nwant it to contain\n  %s", err, c.want)
			}
		})
	}
}
