package probecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stream is what `helm template` prints: a ConfigMap, a Service and the
// Deployment that mounts the ConfigMap, plus a ConfigMap nothing uses.
const stream = `apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data: {nginx.conf: "events {}"}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unused}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes:
      - name: conf
        configMap: {name: conf}
      containers:
      - name: nginx
        image: probedrill/nginx:1
        livenessProbe:
          httpGet: {path: /, port: 80}
`

func TestReadStdinStreamKeepsReferencedConfigMap(t *testing.T) {
	in, err := Read([]string{Stdin}, strings.NewReader(stream), Selection{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Kind != "Deployment" || in.Name != "web" || in.Container != "nginx" || in.Spec == nil {
		t.Fatalf("picked %s %s container %s", in.Kind, in.Name, in.Container)
	}
	if len(in.ConfigMaps) != 1 || in.ConfigMaps[0].Name != "conf" || in.ConfigMaps[0].Data["nginx.conf"] != "events {}" {
		t.Errorf("ConfigMaps = %+v, want conf alone", in.ConfigMaps)
	}
	want := "Service/web (stdin), ConfigMap/unused (stdin)"
	if got := strings.Join(in.Ignored, ", "); got != want {
		t.Errorf("Ignored = %q, want %q", got, want)
	}
	if strings.Join(in.Sources, ",") != "stdin" {
		t.Errorf("Sources = %v", in.Sources)
	}
}

func TestReadDirectoryAndWorkloadSelection(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a-deploy.yaml", deploymentYAML)
	write("b-pod.yml", podYAML)
	write("notes.txt", "not a manifest")

	_, err := Read([]string{dir}, nil, Selection{})
	wantErr := dir + ": holds 2 workloads: Deployment/web (" + filepath.Join(dir, "a-deploy.yaml") + " document 1), " +
		"Pod/test2-liveness (" + filepath.Join(dir, "b-pod.yml") + " document 1); pass --workload KIND/NAME to pick one, e.g. --workload Deployment/web"
	if err == nil || err.Error() != wantErr {
		t.Fatalf("no --workload:\n got %v\nwant %s", err, wantErr)
	}
	for _, sel := range []string{"Pod/test2-liveness", "pod/test2-liveness", "po/test2-liveness", "pods/test2-liveness"} {
		in, err := Read([]string{dir}, nil, Selection{Workload: sel})
		if err != nil || in.Workload != "Pod test2-liveness" {
			t.Errorf("--workload %s: got %v, %v", sel, in, err)
		}
	}
	_, err = Read([]string{dir}, nil, Selection{Workload: "deploy/api"})
	if err == nil || !strings.Contains(err.Error(), "has no workload deploy/api (have Deployment/web") {
		t.Errorf("--workload deploy/api: %v", err)
	}
}

func TestReadErrorsNameFileFieldAndFix(t *testing.T) {
	missing := strings.Replace(stream, "metadata: {name: conf}", "metadata: {name: other}", 1)
	job := strings.NewReplacer("apps/v1", "batch/v1", "kind: Deployment", "kind: Job", "  selector: {matchLabels: {app: web}}\n", "",
		"    spec:\n", "    spec:\n      restartPolicy: OnFailure\n").Replace(stream)
	for _, c := range []struct {
		name, input string
		sources     []string
		want        string
	}{
		{"missing configmap", missing, []string{Stdin},
			"stdin: spec.template.spec.volumes[0].configMap.name: names ConfigMap \"conf\", which is not in the input; add the ConfigMap's manifest to the input"},
		{"no such file", "", []string{"/nonexistent/deploy.yaml"},
			"/nonexistent/deploy.yaml: cannot be read (no such file or directory); give an existing file or directory, or - to read stdin"},
		{"malformed yaml", "kind: Pod\n  bad: [", []string{Stdin}, "stdin: document 1: is not valid YAML"},
		{"empty stdin", "", []string{Stdin}, "stdin: is empty"},
		{"a job is a workload", job, []string{Stdin}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := Read(c.sources, strings.NewReader(c.input), Selection{})
			if c.want == "" {
				if err != nil || in.Kind != "Job" || in.Spec.RestartPolicy != "OnFailure" {
					t.Fatalf("got %+v, %v", in, err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got\n  %v\nwant it to start with\n  %s", err, c.want)
			}
		})
	}
}

func TestStatefulSetClaimsAreKept(t *testing.T) {
	const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: postgres
        image: probedrill/postgres:15
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
        livenessProbe:
          exec: {command: [pg_isready, -h, 127.0.0.1]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`
	in, err := Read([]string{Stdin}, strings.NewReader(sts), Selection{Workload: "sts/db"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(in.Claims, ",") != "data" || in.Liveness.Exec == nil {
		t.Errorf("claims %q, liveness %+v", in.Claims, in.Liveness)
	}
}
