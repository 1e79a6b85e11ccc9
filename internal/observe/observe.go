// Package observe watches a pod (or a Deployment's pods) and its events
// through client-go and turns what the API server shows into a
// timeline.Timeline: container starts and terminations from the pod status,
// probe failures, kills and back-offs from the kubelet's events, readiness
// flips and deletion. Times come from the API objects, as offsets from the
// pod's creationTimestamp, less any pause of the machine in between
// (timeline.Pause).
//
// Watching is done with client-go informers, whose reflector relists after an
// expired resourceVersion and rewatches after a closed channel; every fact is
// keyed (container ID, event UID and count, condition transition time) so a
// relist never duplicates an entry, and nothing is forgotten when the API
// server drops an event at the end of its TTL.
package observe

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/timeline"
)

// Observer follows pods and their events until Stop.
type Observer struct {
	mu      sync.Mutex
	st      *state
	stopped bool
	changes chan struct{}
	// started is closed once a followed pod's container was seen running
	// (Started).
	started chan struct{}

	clock  *clockWatch
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Pod starts observing the pod called name in namespace. The pod need not
// exist yet: start the observer before creating the pod and nothing is
// missed. Pod returns once the initial lists are in; Stop must be called.
func Pod(ctx context.Context, cs kubernetes.Interface, namespace, name string) (*Observer, error) {
	if name == "" {
		return nil, fmt.Errorf("observe pod in namespace %q: empty pod name", namespace)
	}
	return start(ctx, cs, target{namespace: namespace, name: name})
}

// Pods starts observing every pod in namespace matching a label selector
// (e.g. a Deployment's spec.selector), so a replacement pod is followed too.
func Pods(ctx context.Context, cs kubernetes.Interface, namespace, selector string) (*Observer, error) {
	sel, err := labels.Parse(selector)
	if err != nil {
		return nil, fmt.Errorf("observe pods in namespace %q: label selector %q: %w", namespace, selector, err)
	}
	if sel.Empty() {
		return nil, fmt.Errorf("observe pods in namespace %q: empty label selector would follow every pod", namespace)
	}
	return start(ctx, cs, target{namespace: namespace, selector: sel})
}

func start(ctx context.Context, cs kubernetes.Interface, t target) (*Observer, error) {
	ctx, cancel := context.WithCancel(ctx)
	o := &Observer{st: newState(t, time.Now), changes: make(chan struct{}, 1), started: make(chan struct{}), clock: newClockWatch(), cancel: cancel}
	pods := newPodInformer(cs, t, o)
	events := newEventInformer(cs, t, o)
	for _, c := range []runner{pods, events} {
		o.wg.Go(func() { c.RunWithContext(ctx) })
	}
	o.wg.Go(func() { o.clock.run(ctx, o.paused) })
	if err := waitSynced(ctx, pods, events); err != nil {
		o.Stop()
		return nil, fmt.Errorf("observe %s: %w", t, err)
	}
	return o, nil
}

// update runs f on the state under the lock and signals a change when f
// reports one.
func (o *Observer) update(f func(*state) bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.stopped || !f(o.st) {
		return
	}
	select {
	case <-o.started:
	default:
		if o.st.anyStarted() {
			close(o.started)
		}
	}
	select {
	case o.changes <- struct{}{}:
	default: // a signal is already pending; readers take a fresh snapshot anyway
	}
}

// paused records a pause of the machine: offsets leave it out (clock.go).
func (o *Observer) paused(p wallPause) {
	o.update(func(s *state) bool {
		s.pauses = append(s.pauses, p)
		return true
	})
}

// noticePause checks the clocks before a snapshot uses the time.
func (o *Observer) noticePause() {
	if p, ok := o.clock.check(); ok {
		o.paused(p)
	}
}

// Timeline returns a snapshot of the observed timeline.
func (o *Observer) Timeline() timeline.Timeline {
	o.noticePause()
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.st.timeline()
}

// RestartCount is what `kubectl get pod` shows as RESTARTS for the newest
// followed pod: the sum of its containers' restartCount.
func (o *Observer) RestartCount() int32 {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.st.newest()
	if r == nil || r.latest == nil {
		return 0
	}
	var n int32
	for _, c := range r.latest.Status.ContainerStatuses {
		n += c.RestartCount
	}
	return n
}

// Pod returns a copy of the latest version of the newest followed pod (one
// not being deleted, if there is one), or nil before any pod was seen.
func (o *Observer) Pod() *corev1.Pod {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.st.newest()
	if r == nil || r.latest == nil {
		return nil
	}
	return r.latest.DeepCopy()
}

// Events returns the latest version of every event about the followed pods,
// ordered as `kubectl describe` prints them; see FormatEvents.
func (o *Observer) Events() []corev1.Event {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.st.rawEvents()
}

// History is what the API showed of the followed pods' container statuses,
// one line per change (status write time, restart count, state and last
// state with short container IDs), oldest pod first: the raw material of
// the timeline, for a failure's dump.
func (o *Observer) History() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, r := range o.st.podsByAge() {
		for _, l := range r.statuses {
			out = append(out, r.name+" "+l)
		}
	}
	return out
}

// Elapsed is how long ago the oldest followed pod was created (0 before one
// was seen), pauses of the machine left out: how much of a scenario's
// timeline the observation covers.
func (o *Observer) Elapsed() time.Duration {
	o.noticePause()
	o.mu.Lock()
	defer o.mu.Unlock()
	start := o.st.start()
	if start.IsZero() {
		return 0
	}
	return clockFrom(start, o.st.pauses).OffsetOf(o.st.now())
}

// Changes signals that something new was observed. Signals coalesce: after a
// receive, take a fresh Timeline (or Events) snapshot. The channel is closed
// by Stop, so `for range o.Changes()` ends with the observer.
func (o *Observer) Changes() <-chan struct{} {
	return o.changes
}

// Started is closed once a container of a followed pod has been seen
// running. Unlike Changes, any number of goroutines may wait on it.
func (o *Observer) Started() <-chan struct{} {
	return o.started
}

// Stop ends the watches and waits for their goroutines. It is safe to call
// more than once; snapshots taken afterwards still work.
func (o *Observer) Stop() {
	o.cancel()
	o.wg.Wait()
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.stopped {
		o.stopped = true
		close(o.changes)
	}
}

// String names what is observed, for errors and logs.
func (t target) String() string {
	if t.name != "" {
		return fmt.Sprintf("pod %s/%s", t.namespace, t.name)
	}
	return fmt.Sprintf("pods %s/{%s}", t.namespace, t.selector)
}
