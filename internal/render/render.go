// Package render turns a scenario into the Kubernetes objects that run it:
// a bare Pod or a one-replica Deployment, plus a Service when the scenario
// watches readiness through endpoints. The suites apply them with client-go;
// `make manifests` writes them as YAML for kubectl.
package render

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

// DefaultImage is the faultyapp image the manifests name.
const DefaultImage = "probedrill/faultyapp:v0.1.0"

// Labels every rendered object carries; the observer selects pods by them.
const (
	LabelName     = "app.kubernetes.io/name"
	LabelScenario = "probedrill.dev/scenario"
)

// Options tune what Objects produces.
type Options struct {
	// Image is the faultyapp image; DefaultImage when empty.
	Image string
	// Namespace is set on every object; empty leaves it out, so kubectl
	// uses the current namespace.
	Namespace string
}

func (o Options) image() string {
	if o.Image == "" {
		return DefaultImage
	}
	return o.Image
}

// Objects renders a scenario loaded by scenarios.Parse, All or Get (that is,
// defaulted and valid): the workload first, then the Service if any. Each
// object has its TypeMeta set, so it marshals as a complete manifest.
func Objects(s *scenarios.Scenario, opts Options) ([]runtime.Object, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", s.Name, err)
	}
	spec := podSpec(s, opts)
	var objs []runtime.Object
	if s.Pod.Kind == scenarios.KindDeployment {
		objs = append(objs, deployment(s, opts, spec))
	} else {
		objs = append(objs, pod(s, opts, spec))
	}
	if s.Pod.Service {
		objs = append(objs, service(s, opts))
	}
	return objs, nil
}

// Selector is the label set that picks the scenario's pod.
func Selector(s *scenarios.Scenario) map[string]string {
	return map[string]string{LabelName: s.Name, LabelScenario: s.Name}
}

func meta(s *scenarios.Scenario, opts Options) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: s.Pod.Name, Namespace: opts.Namespace, Labels: Selector(s)}
}

func pod(s *scenarios.Scenario, opts Options, spec corev1.PodSpec) *corev1.Pod {
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: meta(s, opts),
		Spec:       spec,
	}
}

func deployment(s *scenarios.Scenario, opts Options, spec corev1.PodSpec) *appsv1.Deployment {
	one := int32(1)
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: meta(s, opts),
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Selector: &metav1.LabelSelector{MatchLabels: Selector(s)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: Selector(s)},
				Spec:       spec,
			},
		},
	}
}

// service exposes the pod's http port, so that readiness shows in the
// Service's EndpointSlice.
func service(s *scenarios.Scenario, opts Options) *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta(s, opts),
		Spec: corev1.ServiceSpec{
			Selector: Selector(s),
			Ports: []corev1.ServicePort{{
				Name: scenarios.PortName, Port: s.App.Port, Protocol: corev1.ProtocolTCP,
				TargetPort: intstr.FromString(scenarios.PortName),
			}},
		},
	}
}
