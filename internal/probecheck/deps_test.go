package probecheck

import (
	"strings"
	"testing"
)

// webAndRedis: web's own Service, Redis's Service and Deployment (with a
// ConfigMap only Redis mounts), and a Service nothing in the input backs.
const webAndRedis = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
      - name: web
        image: probedrill/web:bookworm
        livenessProbe:
          exec: {command: [redis-cli, -h, redis, ping]}
---
apiVersion: v1
kind: Service
metadata: {name: redis}
spec:
  selector: {app: redis}
  ports: [{port: 6379}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      volumes: [{name: conf, configMap: {name: redis-conf}}]
      containers:
      - {name: redis, image: probedrill/redis:bookworm}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: redis-conf}
data: {redis.conf: "maxmemory 10mb"}
---
apiVersion: v1
kind: Service
metadata: {name: payments}
spec:
  selector: {app: payments}
  ports: [{port: 443}]
`

func TestDependenciesAreTheServicesTheWorkloadDoesNotBack(t *testing.T) {
	in, err := Read([]string{Stdin}, strings.NewReader(webAndRedis), Selection{Workload: "deploy/web"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range in.Dependencies {
		got = append(got, d.String())
	}
	want := "Service/redis (backed by Deployment/redis); Service/payments (nothing in the input backs it)"
	if strings.Join(got, "; ") != want {
		t.Errorf("Dependencies = %q, want %q", strings.Join(got, "; "), want)
	}
	if b := in.Dependencies[0].Backend; b.Spec.Containers[0].Image != "probedrill/redis:bookworm" || b.Labels["app"] != "redis" {
		t.Errorf("redis's backend = %+v", b)
	}
	if len(in.ConfigMaps) != 1 || in.ConfigMaps[0].Name != "redis-conf" {
		t.Errorf("ConfigMaps = %+v, want redis-conf: the backend mounts it", in.ConfigMaps)
	}
	if got := strings.Join(in.Ignored, ", "); got != "Service/web (stdin)" {
		t.Errorf("Ignored = %q, want web's own Service alone", got)
	}
	// Checking redis instead: web's Service is then the dependency, with
	// web as its backend.
	in, err = Read([]string{Stdin}, strings.NewReader(webAndRedis), Selection{Workload: "deploy/redis"})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Dependencies) != 2 || in.Dependencies[0].String() != "Service/web (backed by Deployment/web)" {
		t.Errorf("redis's dependencies = %v", in.Dependencies)
	}
}
