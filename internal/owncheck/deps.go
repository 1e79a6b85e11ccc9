package owncheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/probecheck"
)

// FaultDependencyCut: egress to the workload's dependencies dropped; a
// restart is a false restart (docs/check.md, "dependency-cut").
const FaultDependencyCut = "dependency-cut"

// dependency is a Service of the input the workload talks to, with its
// backend's pod spec adapted as the workload's is (nil: no backend).
type dependency struct {
	probecheck.Dependency
	spec *corev1.PodSpec
}

// Endpoint is a TCP destination: a dependency-cut target. Host is a
// Service of the input or an IP address; Name is what the user called it
// once Host is resolved.
type Endpoint struct {
	Host string
	Port int32
	Name string
}

func (e Endpoint) String() string { return net.JoinHostPort(e.Host, strconv.Itoa(int(e.Port))) }

// ParseEndpoint reads HOST:PORT.
func ParseEndpoint(s string) (Endpoint, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return Endpoint{}, fmt.Errorf("%q: want HOST:PORT, e.g. redis:6379", s)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return Endpoint{}, fmt.Errorf("%q: port %q is not 1 to 65535", s, port)
	}
	return Endpoint{Host: host, Port: int32(n)}, nil
}

// adaptDependencies adapts each backend's pod spec for the namespace.
func (k *Check) adaptDependencies() {
	for _, d := range k.Input.Dependencies {
		dep := dependency{Dependency: d}
		if b := d.Backend; b != nil {
			spec, notes := Adapt(b.Spec, b.Claims, k.Options.PullNever)
			dep.spec = spec
			for _, n := range notes {
				k.Notes = append(k.Notes, fmt.Sprintf("%s/%s: %s", b.Kind, b.Name, n))
			}
		}
		k.deps = append(k.deps, dep)
	}
}

// cutTargets are dependency-cut's endpoints: --dependency, or every TCP
// port of every dependency Service.
func (k *Check) cutTargets() []Endpoint {
	if len(k.Options.Dependencies) > 0 {
		return k.Options.Dependencies
	}
	var out []Endpoint
	for _, d := range k.deps {
		for _, p := range d.Service.Spec.Ports {
			if p.Protocol == "" || p.Protocol == corev1.ProtocolTCP {
				out = append(out, Endpoint{Host: d.Service.Name, Port: p.Port})
			}
		}
	}
	return out
}

// validateDependencies refuses a --dependency host that is neither an IP
// address nor a dependency Service of the input.
func (k *Check) validateDependencies() error {
	var names []string
	for _, d := range k.deps {
		names = append(names, d.Service.Name)
	}
	for _, e := range k.Options.Dependencies {
		if net.ParseIP(e.Host) == nil && !slices.Contains(names, e.Host) {
			have := "the input defines none"
			if len(names) > 0 {
				have = "the input's are " + strings.Join(names, ", ")
			}
			return fmt.Errorf("--dependency %s: %s is not an IP address or a Service the workload talks to (%s)", e, e.Host, have)
		}
	}
	return nil
}

// dependencyReady bounds the wait for a backend to become Ready.
const dependencyReady = 2 * time.Minute

// startDependencies creates the dependencies' Services and backend pods in
// namespace, and waits until every backend is Ready: the workload's probes
// must meet them as in production.
func (k *Check) startDependencies(ctx context.Context, cs kubernetes.Interface, namespace string) error {
	var pods []string
	for _, d := range k.deps {
		svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: d.Service.Name, Labels: d.Service.Labels},
			Spec: corev1.ServiceSpec{Selector: d.Service.Spec.Selector, Ports: clusterPorts(d.Service.Spec.Ports)}}
		if _, err := cs.CoreV1().Services(namespace).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating Service %s: %w", svc.Name, err)
		}
		if d.spec == nil {
			continue
		}
		name := dnsLabel(d.Backend.Name, 50) + "-dependency"
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: d.Backend.Labels}, Spec: *d.spec}
		if _, err := cs.CoreV1().Pods(namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating %s/%s's pod: %w", d.Backend.Kind, d.Backend.Name, err)
		}
		pods = append(pods, name)
	}
	for _, name := range pods {
		err := wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, dependencyReady, true, func(ctx context.Context) (bool, error) {
			p, err := cs.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
			return err == nil && podReady(p), nil
		})
		if err != nil && ctx.Err() == nil {
			return errors.Join(fmt.Errorf("dependency pod %s was not Ready in %s", name, dependencyReady), k.stuck(ctx, cs, namespace, name))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// clusterPorts are a Service's ports without node ports: the copy is a
// ClusterIP Service.
func clusterPorts(ps []corev1.ServicePort) []corev1.ServicePort {
	out := make([]corev1.ServicePort, len(ps))
	for i, p := range ps {
		p.NodePort = 0
		out[i] = p
	}
	return out
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// resolve turns cut targets into addresses in namespace: a Service's
// ClusterIP (the pod's packets carry it until kube-proxy's DNAT on the
// node; docs/real-app-faults.md, "Also seen").
func resolve(ctx context.Context, cs kubernetes.Interface, namespace string, targets []Endpoint) ([]Endpoint, error) {
	var out []Endpoint
	for _, e := range targets {
		if net.ParseIP(e.Host) != nil {
			out = append(out, e)
			continue
		}
		svc, err := cs.CoreV1().Services(namespace).Get(ctx, e.Host, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", e, err)
		}
		if net.ParseIP(svc.Spec.ClusterIP) == nil {
			return nil, fmt.Errorf("resolving %s: Service %s has no cluster IP (%q)", e, e.Host, svc.Spec.ClusterIP)
		}
		out = append(out, Endpoint{Host: svc.Spec.ClusterIP, Port: e.Port, Name: e.String()})
	}
	return out, nil
}

// namesDependency reports whether probe p's exec command names one of the
// cut hosts: a liveness probe that checks a dependency.
func namesDependency(p *corev1.Probe, targets []Endpoint) (string, bool) {
	if p == nil || p.Exec == nil {
		return "", false
	}
	for _, e := range targets {
		for _, arg := range p.Exec.Command {
			for _, w := range strings.FieldsFunc(arg, func(r rune) bool { return strings.ContainsRune(" :/@='\"", r) }) {
				if w == e.Host {
					return e.Host, true
				}
			}
		}
	}
	return "", false
}

// dependencyNames words each dependency for the report.
func (k *Check) dependencyNames() []string {
	var out []string
	for _, d := range k.Input.Dependencies {
		out = append(out, d.String())
	}
	return out
}
