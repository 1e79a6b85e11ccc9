package owncheck

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// Start is one measured cold start: a gauge run (the app behind a
// one-second readiness probe on its first probe's handler) and a run with
// the workload's own probes. Durations are from the container's start.
type Start struct {
	// Answered is set when the gauge run's app answered its handler; Need
	// is then when it first did. Gauged is false when no gauge ran.
	Gauged, Answered bool
	Need             time.Duration
	// GaugeLimit is how long the gauge run waited.
	GaugeLimit time.Duration
	// Started and Ready: when the own run's container was first seen
	// started (startup probe passed) and ready; 0 when never.
	Started, Ready time.Duration
	// Killed is set when the own run's first container ended (a liveness
	// or startup kill, or the app exiting) within the watch.
	Killed bool
	// KillSeen is when the kubelet's Killing event arrived (0: none).
	KillSeen time.Duration
	// Ended: when, with the exit code and reason (Last State).
	Ended    time.Duration
	ExitCode int32
	Reason   string
	// Unhealthy and Killing are the kubelet's event messages.
	Unhealthy, Killing []string
	// Watched is how long the own run was watched.
	Watched time.Duration
}

// Timeouts for a pod that cannot run at all (unschedulable, image
// missing): checked before the budget matters.
const (
	startLimit   = 2 * time.Minute
	deleteLimit  = 45 * time.Second
	gaugeFloor   = 30 * time.Second
	gaugeCeiling = 5 * time.Minute
	watchMargin  = 5 * time.Second
	lateMargin   = 30 * time.Second
)

// coldStarts runs n starts of pod template spec in namespace, one after
// the other (concurrent starts would share the CPU a cold start needs).
func (k *Check) coldStarts(ctx context.Context, cs kubernetes.Interface, namespace string) ([]Start, error) {
	var out []Start
	gauge := true
	for i := range k.Options.Starts {
		var st Start
		if gauge {
			k.progress(fmt.Sprintf("cold start %d of %d: measuring when the app first answers its probe", i+1, k.Options.Starts))
			if err := k.gaugeRun(ctx, cs, namespace, i, &st); err != nil {
				return out, err
			}
			// One silent gauge is enough: waiting again would not teach more.
			gauge = st.Answered
		}
		k.progress(fmt.Sprintf("cold start %d of %d: your probes", i+1, k.Options.Starts))
		if err := k.ownRun(ctx, cs, namespace, i, &st); err != nil {
			return out, err
		}
		out = append(out, st)
	}
	return out, nil
}

// gaugeRun measures when the app first answers its first probe's handler.
func (k *Check) gaugeRun(ctx context.Context, cs kubernetes.Interface, namespace string, i int, st *Start) error {
	spec := gauge(k.spec, k.Container)
	if spec == nil {
		return nil
	}
	st.Gauged = true
	st.GaugeLimit = min(max(3*k.Budget.Total, gaugeFloor), gaugeCeiling)
	s, err := k.runPod(ctx, cs, namespace, fmt.Sprintf("gauge-%d", i+1), spec, func(s seen, since time.Duration) bool {
		return !s.ready.IsZero() || s.ended != nil || since > st.GaugeLimit
	})
	if err != nil {
		return err
	}
	if !s.ready.IsZero() {
		st.Answered, st.Need = true, s.ready.Sub(s.startedAt)
	}
	return nil
}

// ownRun runs the workload's own probes until a kill, until the liveness
// probe has had its full chance after the app served, or until the
// budget and the measured need are long past.
func (k *Check) ownRun(ctx context.Context, cs kubernetes.Interface, namespace string, i int, st *Start) error {
	c := k.container()
	stay := stay(c)
	limit := max(k.Budget.Total, st.Need) + stay + lateMargin
	grace := k.grace()
	s, err := k.runPod(ctx, cs, namespace, fmt.Sprintf("start-%d", i+1), k.spec, func(s seen, since time.Duration) bool {
		if s.ended != nil || s.restarts > 0 {
			return true
		}
		if !s.killedAt.IsZero() { // a kill takes up to the grace period: see how it ends
			return time.Since(s.killedAt) > grace+lateMargin
		}
		serving := servingSince(c, s, st.Need)
		return since > limit || !serving.IsZero() && time.Since(serving) > stay+watchMargin
	})
	if err != nil {
		return err
	}
	// Without its probe, Started and Ready are true at once: no measurement.
	if c.StartupProbe != nil {
		st.Started = after(s.startedAt, s.started)
	}
	if c.ReadinessProbe != nil {
		st.Ready = after(s.startedAt, s.ready)
	}
	st.Unhealthy, st.Killing = s.unhealthy, s.killing
	st.Watched = time.Since(s.startedAt).Round(100 * time.Millisecond)
	st.KillSeen = after(s.startedAt, s.killedAt)
	if e := s.ended; e != nil {
		st.Killed, st.ExitCode, st.Reason = true, e.ExitCode, e.Reason
		st.Ended = e.FinishedAt.Sub(s.startedAt)
	}
	return nil
}

// grace is the pod's terminationGracePeriodSeconds (default 30 s).
func (k *Check) grace() time.Duration {
	if g := k.spec.TerminationGracePeriodSeconds; g != nil {
		return time.Duration(*g) * time.Second
	}
	return 30 * time.Second
}

// servingSince is when the container was first seen serving: Ready when
// it has a readiness probe, else Started when it has a startup probe, else
// the gauge's need after its start (zero while not yet).
func servingSince(c *corev1.Container, s seen, need time.Duration) time.Time {
	if c.ReadinessProbe == nil && c.StartupProbe != nil {
		return s.started // kept for the first instance only
	}
	return instanceServing(c, s.inst(0), need)
}

// after is t's offset from start, 0 when t is zero.
func after(start, t time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return t.Sub(start)
}

// runPod creates pod name from spec, watches it until done says so (given
// what was seen and the time since its container started), and deletes it.
func (k *Check) runPod(ctx context.Context, cs kubernetes.Interface, namespace, name string, spec *corev1.PodSpec,
	done func(s seen, since time.Duration) bool) (seen, error) {
	r, err := k.startPod(ctx, cs, namespace, name, spec)
	if err != nil {
		return seen{}, err
	}
	defer r.stop(ctx)
	return r.until(ctx, done)
}

// podRun is a pod of the check and its watch.
type podRun struct {
	k              *Check
	cs             kubernetes.Interface
	namespace, pod string
	w              *watcher
	created        time.Time
}

// startPod starts watching, then creates the pod workload-what.
func (k *Check) startPod(ctx context.Context, cs kubernetes.Interface, namespace, what string, spec *corev1.PodSpec) (*podRun, error) {
	name := podName(k.Name, what)
	w, err := watch(ctx, cs, namespace, name, k.Container)
	if err != nil {
		return nil, err
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{LabelCheck: dnsLabel(k.Name, 63)}}, Spec: *spec}
	if _, err := cs.CoreV1().Pods(namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		w.stop()
		return nil, fmt.Errorf("creating pod %s: %w", name, err)
	}
	return &podRun{k: k, cs: cs, namespace: namespace, pod: name, w: w, created: time.Now()}, nil
}

// until waits until done says so. A container that never starts is a
// *StuckError after startLimit.
func (r *podRun) until(ctx context.Context, done func(s seen, since time.Duration) bool) (seen, error) {
	for {
		s := r.w.snapshot()
		switch {
		case !s.startedAt.IsZero() && done(s, time.Since(s.startedAt)):
			return s, nil
		case s.startedAt.IsZero() && time.Since(r.created) > startLimit:
			return s, r.k.stuck(ctx, r.cs, r.namespace, r.pod)
		}
		select {
		case <-ctx.Done():
			return s, ctx.Err()
		case <-r.w.changed:
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// stop deletes the pod (also after ctx ended) and stops the watch.
func (r *podRun) stop(ctx context.Context) {
	_ = deletePod(context.WithoutCancel(ctx), r.cs, r.namespace, r.pod)
	r.w.stop()
}

// deletePod deletes a pod at once and waits until it is gone, so that the
// next start does not share the CPU with its shutdown.
func deletePod(ctx context.Context, cs kubernetes.Interface, namespace, name string) error {
	zero := int64(0)
	pods := cs.CoreV1().Pods(namespace)
	if err := pods.Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting pod %s: %w", name, err)
	}
	return wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, deleteLimit, true, func(ctx context.Context) (bool, error) {
		_, err := pods.Get(ctx, name, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
}

// StuckError: the pod's container never started (unschedulable, image not
// on the node, a missing key): check could not measure anything (exit 2).
type StuckError struct{ Pod, Why string }

func (e *StuckError) Error() string {
	return fmt.Sprintf("pod %s never started its container in %s: %s", e.Pod, startLimit, e.Why)
}

// stuck explains why a pod's container did not start.
func (k *Check) stuck(ctx context.Context, cs kubernetes.Interface, namespace, name string) error {
	p, err := cs.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return errors.Join(&StuckError{Pod: name, Why: "unknown"}, err)
	}
	for _, st := range append(p.Status.InitContainerStatuses, p.Status.ContainerStatuses...) {
		if w := st.State.Waiting; w != nil && w.Reason != "" {
			return &StuckError{Pod: name, Why: fmt.Sprintf("container %s is waiting: %s: %s", st.Name, w.Reason, w.Message)}
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Status != corev1.ConditionTrue && c.Message != "" {
			return &StuckError{Pod: name, Why: fmt.Sprintf("%s: %s", c.Type, c.Message)}
		}
	}
	return &StuckError{Pod: name, Why: "phase " + string(p.Status.Phase)}
}

// podName is workload-what, cut to fit a name.
func podName(workload, what string) string {
	const maxLen = 63
	if n := maxLen - len(what) - 1; len(workload) > n {
		workload = workload[:n]
	}
	return workload + "-" + what
}
