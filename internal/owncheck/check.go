package owncheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/probecheck"
)

// LabelCheck marks the pods of a check with the workload's name.
const LabelCheck = "probedrill.dev/check"

// FaultColdStart: N starts, each measured (docs/check.md, "cold-start").
const FaultColdStart = "cold-start"

// Options of a check.
type Options struct {
	// Starts is how many cold starts to measure.
	Starts int
	// PullNever: the images were loaded onto the nodes (probedrill's
	// cluster); another cluster pulls as it always does.
	PullNever bool
	// Progress, if not nil, gets one line per step.
	Progress func(string)
	// Faults to run (default: all of Faults()).
	Faults []string
	// Signal reaches the nodes (nil: the crash fault is skipped).
	Signal Signaller
	// Kubelets are the nodes' kubelet facts, for the crash model (none:
	// kubelet v1.37's defaults).
	Kubelets []Kubelet
}

// Faults are the faults check runs on the team's own app, in order.
func Faults() []string { return []string{FaultColdStart, FaultCrash} }

// runs reports whether fault f is asked for.
func (o Options) runs(f string) bool { return len(o.Faults) == 0 || slices.Contains(o.Faults, f) }

// MaxStarts bounds --starts: each start is one or two pod runs.
const MaxStarts = 20

// Check is a prepared check of the workload's own pod.
type Check struct {
	Input   *probecheck.Input
	Options Options
	// Name is the workload's name; Container the checked container's.
	Name, Container string
	Budget          Budget
	// Notes say what Adapt changed in the pod.
	Notes []string
	spec  *corev1.PodSpec
}

// Prepare adapts the input's pod for a drill namespace. Input problems
// (a bare probe, no probe at all) are *scenarios.InvalidError.
func Prepare(in *probecheck.Input, o Options) (*Check, error) {
	if err := validate(in, o); err != nil {
		return nil, err
	}
	spec, notes := Adapt(in.Spec, in.Claims, o.PullNever)
	k := &Check{Input: in, Options: o, Name: in.Name, Container: in.Container, Notes: notes, spec: spec}
	k.Budget = budgetOf(k.container())
	return k, nil
}

// container is the checked container of the adapted spec.
func (k *Check) container() *corev1.Container {
	for i := range k.spec.Containers {
		if k.spec.Containers[i].Name == k.Container {
			return &k.spec.Containers[i]
		}
	}
	panic("owncheck: checked container " + k.Container + " not in the pod spec")
}

// kubelet returns the facts of node's kubelet, or v1.37's defaults.
func (k *Check) kubelet(node string) Kubelet {
	for _, kl := range k.Options.Kubelets {
		if kl.Node == node {
			return kl
		}
	}
	return Kubelet{Node: node, Version: ModelVersion + ".x"}
}

// Images are the images the pod runs.
func (k *Check) Images() []string { return Images(k.spec) }

func (k *Check) progress(s string) {
	if k.Options.Progress != nil {
		k.Options.Progress(s)
	}
}

// cleanupTimeout bounds the namespace's deletion after Ctrl-C.
const cleanupTimeout = time.Minute

// Run measures the faults in a namespace of its own, with the input's
// ConfigMaps and Secrets, and deletes the namespace again whatever happens
// (also after ctx ended: Ctrl-C).
func (k *Check) Run(ctx context.Context, cs kubernetes.Interface) (res *Result, err error) {
	ns, err := k.namespace(ctx, cs)
	if err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if derr := cs.CoreV1().Namespaces().Delete(cctx, ns, metav1.DeleteOptions{}); derr != nil {
			err = errors.Join(err, fmt.Errorf("deleting namespace %s: %w", ns, derr))
		}
	}()
	if err := k.apply(ctx, cs, ns); err != nil {
		return nil, err
	}
	out := &Result{Namespace: ns, Started: time.Now()}
	var need time.Duration
	silent := false // the gauge ran and the app never answered
	if k.Options.runs(FaultColdStart) {
		t := time.Now()
		starts, err := k.coldStarts(ctx, cs, ns)
		if err != nil {
			return nil, err
		}
		f := k.judge(starts)
		f.Took, need = time.Since(t), f.NeedMax
		silent = f.NeedMax == 0 && len(starts) > 0 && starts[0].Gauged
		out.Faults = append(out.Faults, f)
	}
	if k.Options.runs(FaultCrash) {
		t := time.Now()
		f, err := k.crashRun(ctx, cs, ns, need, silent)
		if err != nil {
			return nil, err
		}
		f.Took = time.Since(t)
		out.Faults = append(out.Faults, f)
	}
	out.Took = time.Since(out.Started)
	return out, nil
}

// namespace creates the check's namespace. It is labelled as every
// drill's is, so leftovers are found the same way; it enforces no Pod
// Security level: the team's pod runs as the team wrote it.
func (k *Check) namespace(ctx context.Context, cs kubernetes.Interface) (string, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: "pd-check-" + dnsLabel(k.Name, 40) + "-",
		Labels:       map[string]string{drill.LabelDrill: dnsLabel("check-"+k.Name, 63)},
	}}
	got, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("creating the check's namespace: %w", err)
	}
	return got.Name, nil
}

// dnsLabel makes s a DNS label (and so a valid label value) of at most n
// characters: a workload may be called web.v2 or be 200 characters long,
// a namespace name and a label value may not.
func dnsLabel(s string, n int) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			b[i] = '-'
		}
	}
	return strings.Trim(string(b[:min(len(b), n)]), "-")
}

// apply creates the input's ConfigMaps and Secrets in the namespace.
func (k *Check) apply(ctx context.Context, cs kubernetes.Interface, ns string) error {
	for _, cm := range k.Input.ConfigMaps {
		cm.ObjectMeta = metav1.ObjectMeta{Name: cm.Name, Labels: cm.Labels}
		if _, err := cs.CoreV1().ConfigMaps(ns).Create(ctx, &cm, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating ConfigMap %s: %w", cm.Name, err)
		}
	}
	for _, s := range k.Input.Secrets {
		s.ObjectMeta = metav1.ObjectMeta{Name: s.Name, Labels: s.Labels}
		if _, err := cs.CoreV1().Secrets(ns).Create(ctx, &s, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating Secret %s: %w", s.Name, err)
		}
	}
	return nil
}
