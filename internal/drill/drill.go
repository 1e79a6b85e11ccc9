package drill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/observe"
	"github.com/probedrill/probedrill/internal/render"
	"github.com/probedrill/probedrill/scenarios"
)

// LabelDrill marks every namespace a drill creates, with the scenario's name
// as value, so leftovers can be found and removed.
const LabelDrill = "probedrill.dev/drill"

// Drill is a Plan running in its own namespace.
type Drill struct {
	*Plan
	Namespace string
	Started   time.Time
	cs        kubernetes.Interface
	obs       *observe.Observer
	logs      previousLogs
	judged    judged
}

// Start creates a fresh namespace, starts watching it and creates the
// scenario's objects there. On any error the namespace is deleted again, so a
// failed start leaves nothing behind. The caller must call Cleanup.
func (p *Plan) Start(ctx context.Context, cs kubernetes.Interface) (*Drill, error) {
	ns, err := createNamespace(ctx, cs, p.Scenario.Name)
	if err != nil {
		return nil, fmt.Errorf("start drill %s: %w", p.Scenario.Name, err)
	}
	d := &Drill{Plan: p, Namespace: ns, Started: time.Now(), cs: cs}
	if err := d.launch(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("start drill %s in namespace %s: %w", p.Scenario.Name, ns, err), d.Cleanup(context.WithoutCancel(ctx)))
	}
	return d, nil
}

// launch starts the observer before creating the objects, so the first
// container start is never missed.
func (d *Drill) launch(ctx context.Context) error {
	obs, err := d.observe(ctx)
	if err != nil {
		return err
	}
	d.obs = obs
	objs, err := d.objects(d.Namespace)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := create(ctx, d.cs, o); err != nil {
			return err
		}
	}
	return nil
}

func (d *Drill) observe(ctx context.Context) (*observe.Observer, error) {
	s := d.Scenario
	if s.Pod.Kind == scenarios.KindDeployment {
		sel := labels.SelectorFromSet(render.Selector(s)).String()
		return observe.Pods(ctx, d.cs, d.Namespace, sel)
	}
	return observe.Pod(ctx, d.cs, d.Namespace, s.Pod.Name)
}

// Observer is the drill's observer, for live displays.
func (d *Drill) Observer() *observe.Observer { return d.obs }

// Cleanup stops watching and deletes the namespace. Pods are deleted first
// with no grace period: a drill's app may ignore SIGTERM on purpose, and a
// teardown should not wait 30 s for it. Cleanup does not wait for the
// namespace to be gone; the API server finishes that on its own.
func (d *Drill) Cleanup(ctx context.Context) error {
	if d.obs != nil {
		d.obs.Stop()
	}
	zero := int64(0)
	pods := d.cs.CoreV1().Pods(d.Namespace)
	err := pods.DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{})
	if err := ignoreNotFound(err); err != nil {
		return fmt.Errorf("clean up drill namespace %s: delete pods: %w", d.Namespace, err)
	}
	if err := ignoreNotFound(d.cs.CoreV1().Namespaces().Delete(ctx, d.Namespace, metav1.DeleteOptions{})); err != nil {
		return fmt.Errorf("clean up drill namespace %s: %w", d.Namespace, err)
	}
	return nil
}

// createNamespace makes a namespace named after the scenario with a random
// suffix. It enforces Pod Security "restricted": the rendered pods meet it,
// and a drill that did not would fail loudly rather than teach bad habits.
func createNamespace(ctx context.Context, cs kubernetes.Interface, scenario string) (string, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: "pd-" + truncate(scenario, 50) + "-",
		Labels: map[string]string{
			LabelDrill:                           scenario,
			"pod-security.kubernetes.io/enforce": "restricted",
		},
	}}
	got, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("create namespace: %w", err)
	}
	return got.Name, nil
}

// create creates one rendered object with the typed client.
func create(ctx context.Context, cs kubernetes.Interface, o runtime.Object) error {
	var err error
	opts := metav1.CreateOptions{}
	switch o := o.(type) {
	case *corev1.Pod:
		_, err = cs.CoreV1().Pods(o.Namespace).Create(ctx, o, opts)
	case *appsv1.Deployment:
		_, err = cs.AppsV1().Deployments(o.Namespace).Create(ctx, o, opts)
	case *corev1.Service:
		_, err = cs.CoreV1().Services(o.Namespace).Create(ctx, o, opts)
	default:
		return fmt.Errorf("create %T: not a kind a scenario renders", o)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", o.GetObjectKind().GroupVersionKind().Kind, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.TrimRight(s[:n], "-")
}

func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
