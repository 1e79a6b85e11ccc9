package probecheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/scenarios"
)

const podYAML = `apiVersion: v1
kind: Pod
metadata:
  name: test2-liveness
spec:
  terminationGracePeriodSeconds: 10
  containers:
  - name: test2
    image: example/test2:1.0
    ports:
    - name: web
      containerPort: 8081
    livenessProbe:
      httpGet:
        path: /
        port: web
`

const deploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: sidecar
        image: example/proxy:1
      - name: web
        image: example/web:1
        resources:
          limits: {cpu: 200m}
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
        startupProbe:
          tcpSocket: {port: 8080}
`

func TestParse(t *testing.T) {
	cases := []struct {
		name, yaml, container string
		workload, got         string
		liveness, readiness   bool
		startup               bool
	}{
		{"pod", podYAML, "", "Pod test2-liveness", "test2", true, false, false},
		{"deployment with --container", deploymentYAML, "web", "Deployment web", "web", true, true, true},
		{"multi-doc skips the Service", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n" + podYAML, "", "Pod test2-liveness", "test2", true, false, false},
		{"leading empty document", "---\n" + podYAML, "", "Pod test2-liveness", "test2", true, false, false},
		{"bare probe set", "livenessProbe:\n  httpGet: {path: /, port: 8080}\nreadinessProbe:\n  tcpSocket: {port: 8080}\n", "", "", "", true, true, false},
		{"bare corev1.Probe", "httpGet: {path: /, port: 8080}\nperiodSeconds: 5\n", "", "", "", true, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := Parse("f.yaml", []byte(c.yaml), c.container)
			if err != nil {
				t.Fatal(err)
			}
			if in.Workload != c.workload || in.Container != c.got {
				t.Errorf("workload %q container %q, want %q %q", in.Workload, in.Container, c.workload, c.got)
			}
			if (in.Liveness != nil) != c.liveness || (in.Readiness != nil) != c.readiness || (in.Startup != nil) != c.startup {
				t.Errorf("probes: liveness %v readiness %v startup %v", in.Liveness != nil, in.Readiness != nil, in.Startup != nil)
			}
		})
	}
}

func TestParseKeepsPodSettings(t *testing.T) {
	in, err := Parse("pod.yaml", []byte(podYAML), "")
	if err != nil {
		t.Fatal(err)
	}
	if in.Grace == nil || *in.Grace != 10 || len(in.Ports) != 1 || in.Ports[0].ContainerPort != 8081 {
		t.Errorf("grace %v ports %v", in.Grace, in.Ports)
	}
	d, err := Parse("d.yaml", []byte(deploymentYAML), "web")
	if err != nil {
		t.Fatal(err)
	}
	if d.CPULimit == nil || d.CPULimit.String() != "200m" {
		t.Errorf("cpu limit %v", d.CPULimit)
	}
	if got := d.Field(fieldLiveness); got != "spec.template.spec.containers[1].livenessProbe" {
		t.Errorf("field %q", got)
	}
}

// TestParseErrors: every message names the file, the field and the fix.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, yaml, container, want string
	}{
		{"typo in a probe field", strings.Replace(podYAML, "      httpGet:", "      perodSeconds: 3\n      httpGet:", 1), "",
			`f.yaml: spec.containers[0].livenessProbe.perodSeconds: unknown field; check the spelling and case; ` + "`kubectl explain pod.spec.containers.livenessProbe` lists the fields"},
		{"mis-cased field", strings.Replace(podYAML, "      httpGet:", "      PeriodSeconds: 3\n      httpGet:", 1), "",
			`f.yaml: spec.containers[0].livenessProbe.PeriodSeconds: unknown field`},
		{"duplicate key", strings.Replace(podYAML, "path: /", "path: /\n        path: /x", 1), "",
			`f.yaml: document 1: is not valid YAML`},
		{"wrong type", strings.Replace(podYAML, "containerPort: 8081", "containerPort: eighty", 1), "",
			`f.yaml: cannot be decoded`},
		{"several containers", deploymentYAML, "",
			`f.yaml: spec.template.spec.containers: 2 containers (sidecar, web); pass --container NAME`},
		{"unknown container", deploymentYAML, "db",
			`f.yaml: spec.template.spec.containers: no container "db" (have sidecar, web); pass --container`},
		{"two workloads", podYAML + "---\n" + podYAML, "",
			`f.yaml: holds 2 workloads: Pod/test2-liveness (f.yaml document 1), Pod/test2-liveness (f.yaml document 2); pass --workload KIND/NAME to pick one`},
		{"no workload", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "",
			`f.yaml: holds no Pod or Deployment (found ConfigMap)`},
		{"no kind", "spec:\n  containers: []\n", "", `f.yaml: has spec but no kind; add apiVersion and kind`},
		{"wrong apiVersion", strings.Replace(deploymentYAML, "apps/v1", "extensions/v1beta1", 1), "web",
			`f.yaml: apiVersion: "extensions/v1beta1" is not the API version of a Deployment; use apiVersion: apps/v1`},
		{"empty", "# nothing\n", "", `f.yaml: is empty`},
		{"bare set typo", "livenessProbe: {}\nreadinesProbe: {}\n", "",
			`f.yaml: readinesProbe: unknown field; check the spelling and case; a bare probe file may hold livenessProbe`},
		{"--container on a bare probe", "livenessProbe: {}\n", "web", `f.yaml: is a bare probe, which has no workload or containers; drop --workload and --container`},
		{"not YAML", "livenessProbe: [\n", "", `f.yaml: document 1: is not valid YAML`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(c.yaml), c.container)
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
