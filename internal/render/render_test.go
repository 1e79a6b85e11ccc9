package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/probedrill/probedrill/scenarios"
)

func get(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func objects(t *testing.T, name string, opts Options) []runtime.Object {
	t.Helper()
	objs, err := Objects(get(t, name), opts)
	if err != nil {
		t.Fatalf("Objects(%s): %v", name, err)
	}
	return objs
}

// podSpecOf returns the pod spec of a rendered workload and its kind.
func podSpecOf(t *testing.T, o runtime.Object) (corev1.PodSpec, string) {
	t.Helper()
	switch w := o.(type) {
	case *corev1.Pod:
		return w.Spec, w.Kind
	case *appsv1.Deployment:
		return w.Spec.Template.Spec, w.Kind
	}
	t.Fatalf("first object is a %T, want a Pod or a Deployment", o)
	return corev1.PodSpec{}, ""
}

func TestObjectsKinds(t *testing.T) {
	tests := []struct {
		scenario string
		kinds    []string
		name     string // the workload's name
	}{
		{"seed-http-500", []string{"Pod"}, "test2-liveness"},
		{"deployment-liveness", []string{"Deployment"}, "deployment-liveness"},
		{"readiness-fail-no-restart", []string{"Pod", "Service"}, "readiness-fail-no-restart"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			objs := objects(t, tt.scenario, Options{Namespace: "drill-1"})
			var kinds []string
			for _, o := range objs {
				kinds = append(kinds, o.GetObjectKind().GroupVersionKind().Kind)
				m := o.(interface {
					GetName() string
					GetNamespace() string
					GetLabels() map[string]string
				})
				if m.GetName() != tt.name || m.GetNamespace() != "drill-1" {
					t.Errorf("%T is %s/%s, want drill-1/%s", o, m.GetNamespace(), m.GetName(), tt.name)
				}
				if m.GetLabels()[LabelScenario] != tt.scenario || m.GetLabels()[LabelName] != tt.scenario {
					t.Errorf("%T labels = %v", o, m.GetLabels())
				}
			}
			if d := cmp.Diff(tt.kinds, kinds); d != "" {
				t.Errorf("kinds (-want +got):\n%s", d)
			}
		})
	}
}

func TestDeployment(t *testing.T) {
	d := objects(t, "deployment-liveness", Options{})[0].(*appsv1.Deployment)
	if *d.Spec.Replicas != 1 {
		t.Errorf("replicas = %d, want 1", *d.Spec.Replicas)
	}
	if d.APIVersion != "apps/v1" {
		t.Errorf("apiVersion = %q", d.APIVersion)
	}
	if d := cmp.Diff(d.Spec.Selector.MatchLabels, d.Spec.Template.Labels); d != "" {
		t.Errorf("selector does not match the template (-selector +template):\n%s", d)
	}
}

func TestContainer(t *testing.T) {
	spec, _ := podSpecOf(t, objects(t, "seed-http-500", Options{Image: "faultyapp:dev"})[0])
	c := spec.Containers[0]
	if c.Name != "test2" || c.Image != "faultyapp:dev" || c.ImagePullPolicy != corev1.PullIfNotPresent {
		t.Errorf("container %s image %s pull %s", c.Name, c.Image, c.ImagePullPolicy)
	}
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports = %+v, want one named http on 8080", c.Ports)
	}
	want := &corev1.Probe{ProbeHandler: c.LivenessProbe.ProbeHandler} // nothing but the handler
	if d := cmp.Diff(want, c.LivenessProbe); d != "" {
		t.Errorf("the seed's probe is more than httpGet / :8080 (-want +got):\n%s", d)
	}
	if h := c.LivenessProbe.HTTPGet; h.Path != "/" || h.Port.IntVal != 8080 || h.Scheme != "" {
		t.Errorf("httpGet = %+v, want path / port 8080 and no scheme", h)
	}
	if spec.TerminationGracePeriodSeconds != nil || spec.RestartPolicy != "" {
		t.Errorf("API defaults written out: grace %v restartPolicy %q", spec.TerminationGracePeriodSeconds, spec.RestartPolicy)
	}
}

func TestDefaultImage(t *testing.T) {
	spec, _ := podSpecOf(t, objects(t, "healthy-never-restarted", Options{})[0])
	if got := spec.Containers[0].Image; got != DefaultImage {
		t.Errorf("image = %q, want %q", got, DefaultImage)
	}
}

func TestArgs(t *testing.T) {
	tests := []struct {
		scenario string
		want     []string
	}{
		{"seed-http-500", []string{"-addr=:8080", "-fault=fail-after", "-after=5", "-on-sigterm=ignore"}},
		{"seed-crash-loop", []string{"-addr=:8080", "-fault=crash", "-after=5", "-after-time=3s", "-exit-code=3", "-on-sigterm=exit"}},
		{"seed-slow-start-no-delay", []string{"-addr=:8080", "-fault=slow-start", "-startup=40s", "-on-sigterm=exit"}},
		{"seed-exec", []string{"-addr=:8080", "-fault=exec-file", "-after=5", "-after-time=10s", "-health-file=/tmp/healthy", "-on-sigterm=exit"}},
		{"seed-heavy-health", []string{"-addr=:8080", "-fault=heavy-health", "-cost=500ms", "-on-sigterm=exit"}},
		{"seed-external-dependency", []string{"-addr=:8080", "-fault=dependency", "-dependency=http://database:5432/", "-on-sigterm=exit"}},
		{"exit-code-0-drain", []string{"-addr=:8080", "-fault=fail-after", "-after=5", "-on-sigterm=drain"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if d := cmp.Diff(tt.want, Args(get(t, tt.scenario).App)); d != "" {
				t.Errorf("args (-want +got):\n%s", d)
			}
		})
	}
	p := 0.25
	if got := Args(scenarios.App{Fault: "flaky", P: &p, Port: 9090}); got[0] != "-addr=:9090" || got[2] != "-p=0.25" {
		t.Errorf("flaky args = %v", got)
	}
}

// TestRestricted checks every scenario against Pod Security "restricted"
// (k8s.io/pod-security-admission, v1.37): non-root, no privilege
// escalation, seccomp RuntimeDefault, all capabilities dropped.
func TestRestricted(t *testing.T) {
	all, err := scenarios.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		objs, err := Objects(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := podSpecOf(t, objs[0])
		if msg := restrictedProblem(spec); msg != "" {
			t.Errorf("%s: %s", s.Name, msg)
		}
	}
}

func restrictedProblem(spec corev1.PodSpec) string {
	psc, c := spec.SecurityContext, spec.Containers[0]
	sc := c.SecurityContext
	switch {
	case psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0:
		return "not forced to run as non-root"
	case psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
		return "no seccomp RuntimeDefault"
	case sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		return "privilege escalation allowed"
	case sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" || len(sc.Capabilities.Add) > 0:
		return "capabilities not dropped"
	case len(spec.Volumes) > 0 && spec.Volumes[0].EmptyDir == nil:
		return "a volume type restricted does not allow"
	}
	return ""
}

func TestExecFileGetsAWritableDirectory(t *testing.T) {
	spec, _ := podSpecOf(t, objects(t, "seed-exec", Options{})[0])
	m := spec.Containers[0].VolumeMounts
	if len(spec.Volumes) != 1 || spec.Volumes[0].EmptyDir == nil || len(m) != 1 || m[0].MountPath != "/tmp" {
		t.Errorf("volumes %+v mounts %+v, want an emptyDir on /tmp", spec.Volumes, m)
	}
	spec, _ = podSpecOf(t, objects(t, "seed-http-500", Options{})[0])
	if len(spec.Volumes) != 0 {
		t.Errorf("seed-http-500 has volumes %+v", spec.Volumes)
	}
}

func TestResourcesAndGrace(t *testing.T) {
	spec, _ := podSpecOf(t, objects(t, "oom-leak", Options{})[0])
	if lim := spec.Containers[0].Resources.Limits.Memory().String(); lim != "64Mi" {
		t.Errorf("memory limit = %s, want 64Mi", lim)
	}
	spec, _ = podSpecOf(t, objects(t, "probe-grace-period", Options{})[0])
	if g := spec.TerminationGracePeriodSeconds; g == nil || *g != 60 {
		t.Errorf("grace = %v, want 60", g)
	}
	if g := spec.Containers[0].LivenessProbe.TerminationGracePeriodSeconds; g == nil || *g != 3 {
		t.Errorf("probe grace = %v, want 3", g)
	}
}

func TestObjectsRejectsInvalid(t *testing.T) {
	s := get(t, "seed-http-500")
	s.App.Fault = "explode"
	if _, err := Objects(s, Options{}); err == nil || !strings.Contains(err.Error(), "rendering seed-http-500") {
		t.Errorf("Objects = %v, want a validation error", err)
	}
}

func TestService(t *testing.T) {
	svc := objects(t, "readiness-fail-no-restart", Options{})[1].(*corev1.Service)
	p := svc.Spec.Ports[0]
	if p.Port != 8080 || p.TargetPort.StrVal != "http" || svc.Spec.Selector[LabelScenario] != "readiness-fail-no-restart" {
		t.Errorf("service = %+v", svc.Spec)
	}
}

func TestNodeFailureTolerations(t *testing.T) {
	spec, _ := podSpecOf(t, objects(t, "seed-deployment-node-failure", Options{})[0])
	if len(spec.Tolerations) != 2 {
		t.Fatalf("tolerations = %+v, want not-ready and unreachable", spec.Tolerations)
	}
	for _, tol := range spec.Tolerations {
		if tol.Effect != corev1.TaintEffectNoExecute || tol.TolerationSeconds == nil || *tol.TolerationSeconds != 10 {
			t.Errorf("toleration %+v, want NoExecute for 10 s", tol)
		}
	}
	spec, _ = podSpecOf(t, objects(t, "seed-http-500", Options{})[0])
	if spec.Tolerations != nil {
		t.Errorf("seed-http-500 has tolerations %+v; the API server adds the defaults", spec.Tolerations)
	}
}
