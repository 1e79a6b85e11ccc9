package owncheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
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
	// Notice, if not nil, gets the lines the user must see: each fault
	// put on a container and each undo.
	Notice func(string)
	// Faults to run (default: all of Faults()).
	Faults []string
	// Node reaches the nodes (nil: crash and the injected faults are
	// skipped).
	Node Node
	// Duration is how long cpu-starve holds (0: twice the liveness
	// probe's window, at least 10 s).
	Duration time.Duration
	// ExpectRestart lists the faults that should restart the container
	// though the app survives them (cpu-starve).
	ExpectRestart []string
	// StarvePercent is cpu-starve's quota (0: DefaultStarvePercent).
	StarvePercent int
	// Dependencies are dependency-cut's targets (none: every Service of
	// the input the workload talks to).
	Dependencies []Endpoint
	// Kubelets are the nodes' kubelet facts, for the crash model (none:
	// kubelet v1.37's defaults).
	Kubelets []Kubelet
}

// Faults are the faults check runs on the team's own app, in order.
func Faults() []string {
	return []string{FaultColdStart, FaultCrash, FaultFreeze, FaultCPUStarve, FaultPortBlocked, FaultDependencyCut}
}

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
	// Notes say what Adapt changed in the pod and its dependencies'.
	Notes []string
	spec  *corev1.PodSpec
	deps  []dependency
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
	k.adaptDependencies()
	if err := k.validateDependencies(); err != nil {
		return nil, err
	}
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
func (k *Check) Images() []string {
	out := Images(k.spec)
	for _, d := range k.deps {
		if d.spec != nil {
			for _, img := range Images(d.spec) {
				if !slices.Contains(out, img) {
					out = append(out, img)
				}
			}
		}
	}
	return out
}

func (k *Check) notice(s string) {
	if k.Options.Notice != nil {
		k.Options.Notice(s)
	}
}

func (k *Check) progress(s string) {
	if k.Options.Progress != nil {
		k.Options.Progress(s)
	}
}

// cleanupTimeout bounds the namespace's deletion after Ctrl-C.
const cleanupTimeout = time.Minute

// Run measures the faults, each in a namespace of its own with the
// input's ConfigMaps and Secrets, deleted again whatever happens (also
// after ctx ended: Ctrl-C). cold-start runs first and alone: its starts
// need the CPU they would have in a quiet cluster, and its measured need
// tells the others when the app serves. The rest run at once.
func (k *Check) Run(ctx context.Context, cs kubernetes.Interface) (*Result, error) {
	out := &Result{Started: time.Now()}
	var need time.Duration
	silent := false // the gauge ran and the app never answered
	if k.Options.runs(FaultColdStart) {
		f, err := k.inNamespace(ctx, cs, FaultColdStart, func(ns string) (FaultResult, error) {
			starts, err := k.coldStarts(ctx, cs, ns)
			if err != nil {
				return FaultResult{}, err
			}
			return k.judge(starts), nil
		})
		if err != nil {
			return nil, err
		}
		need = f.NeedMax
		silent = f.NeedMax == 0 && len(f.Starts) > 0 && f.Starts[0].Gauged
		out.Faults = append(out.Faults, f)
	}
	rest, err := k.concurrently(ctx, cs, need, silent)
	if err != nil {
		return nil, err
	}
	out.Faults = append(out.Faults, rest...)
	out.Took = time.Since(out.Started)
	return out, nil
}

// concurrently runs the faults after cold-start at once, each in its own
// namespace. The first error cancels the others (each undoes its fault).
func (k *Check) concurrently(ctx context.Context, cs kubernetes.Interface, need time.Duration, silent bool) ([]FaultResult, error) {
	var todo []string
	for _, f := range Faults()[1:] {
		if k.Options.runs(f) {
			todo = append(todo, f)
		}
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results, errs := make([]FaultResult, len(todo)), make([]error, len(todo))
	var wg sync.WaitGroup
	for i, fault := range todo {
		wg.Go(func() {
			if results[i], errs[i] = k.runFault(fctx, cs, fault, need, silent); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	var failed []error
	for _, err := range errs {
		// a fault cancelled because another failed says nothing new, but
		// a fault left in place always does
		var undo *UndoError
		if err != nil && (ctx.Err() != nil || !errors.Is(err, context.Canceled) || errors.As(err, &undo)) {
			failed = append(failed, err)
		}
	}
	return results, errors.Join(failed...)
}

// runFault runs one fault after cold-start in its own namespace, or says
// why it is skipped without creating one.
func (k *Check) runFault(ctx context.Context, cs kubernetes.Interface, fault string, need time.Duration, silent bool) (FaultResult, error) {
	if why := k.skip(fault, silent); why != "" {
		return FaultResult{Fault: fault, Must: k.must(fault), Skipped: why}, nil
	}
	return k.inNamespace(ctx, cs, fault, func(ns string) (FaultResult, error) {
		if fault == FaultCrash {
			return k.crashRun(ctx, cs, ns, need)
		}
		return k.injectRun(ctx, cs, ns, fault, need)
	})
}

// skip says why fault cannot run ("" when it can). silent: cold-start's
// gauge never saw the app answer, so it never serves.
func (k *Check) skip(fault string, silent bool) string {
	switch {
	case k.Options.Node == nil:
		return "needs the node's container runtime: probedrill's cluster only, for now"
	case silent:
		return "the app never answered its probe, so it never serves: see cold-start"
	case injected(fault):
		return k.skipInjected(fault)
	}
	return ""
}

// inNamespace runs f in a new namespace for fault and deletes it after,
// also after ctx ended.
func (k *Check) inNamespace(ctx context.Context, cs kubernetes.Interface, fault string, f func(ns string) (FaultResult, error)) (res FaultResult, err error) {
	ns, err := k.namespace(ctx, cs, fault)
	if err != nil {
		return res, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if derr := cs.CoreV1().Namespaces().Delete(cctx, ns, metav1.DeleteOptions{}); derr != nil {
			err = errors.Join(err, fmt.Errorf("deleting namespace %s: %w", ns, derr))
		}
	}()
	if err := k.apply(ctx, cs, ns); err != nil {
		return res, err
	}
	if err := k.startDependencies(ctx, cs, ns); err != nil {
		return res, err
	}
	t := time.Now()
	res, err = f(ns)
	res.Namespace, res.Took = ns, time.Since(t)
	return res, err
}

// namespace creates fault's namespace. It is labelled as every drill's
// is, so leftovers are found the same way; it enforces no Pod Security
// level: the team's pod runs as the team wrote it.
func (k *Check) namespace(ctx context.Context, cs kubernetes.Interface, fault string) (string, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: "pd-check-" + dnsLabel(k.Name, 30) + "-" + fault + "-",
		Labels:       map[string]string{drill.LabelDrill: dnsLabel("check-"+k.Name, 63)},
	}}
	got, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("creating the namespace for %s: %w", fault, err)
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
