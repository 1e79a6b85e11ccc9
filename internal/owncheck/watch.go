package owncheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// seen is what a watch saw of one pod's checked container, with the
// local time each fact first arrived (the API's own timestamps are whole
// seconds; docs/check.md, "Resolution").
type seen struct {
	// startedAt is the first instance's State.Running.StartedAt.
	startedAt time.Time
	// started and ready: first seen Started (startup probe passed, or none)
	// and Ready; zero until then.
	started, ready time.Time
	restarts       int32
	// ended is the first instance's termination (LastState after a
	// restart, or State when the pod does not restart it); nil while it runs.
	ended   *corev1.ContainerStateTerminated
	endedAt time.Time
	// unhealthy and killing are the kubelet's Unhealthy and Killing
	// event messages for the container, in arrival order, each once.
	unhealthy, killing []string
	// liveFailures are the arrival times of the Liveness Unhealthy events
	// (each new event or count update is one more failure).
	liveFailures []time.Time
	// readyFailures: the same for the Readiness Unhealthy events.
	readyFailures []time.Time
	killedAt      time.Time
	// lastKill is when the latest Killing event (or its count's update)
	// arrived.
	lastKill time.Time
	// instances are every container instance seen, by restart count;
	// backOff are the kubelet's BackOff event messages.
	instances map[int32]*instance
	backOff   []string
	// node is the node the pod was scheduled to.
	node string
	// waitBackOff is the last CrashLoopBackOff waiting message's delay
	// ("back-off 10s").
	waitBackOff string
}

// instance is one container instance: when it started (the API's
// startedAt), when it was first seen Ready, and how it ended.
type instance struct {
	startedAt time.Time
	ready     time.Time
	ended     *corev1.ContainerStateTerminated
}

// inst returns instance n, made on first use.
func (s *seen) inst(n int32) *instance {
	if s.instances == nil {
		s.instances = map[int32]*instance{}
	}
	if s.instances[n] == nil {
		s.instances[n] = &instance{}
	}
	return s.instances[n]
}

// recordInstances keeps what a status says about instance n and n-1.
func (s *seen) recordInstances(st corev1.ContainerStatus, now time.Time) {
	n := st.RestartCount
	if r := st.State.Running; r != nil {
		s.inst(n).startedAt = r.StartedAt.Time
		if st.Ready && s.inst(n).ready.IsZero() {
			s.inst(n).ready = now
		}
	}
	if t := st.State.Terminated; t != nil && s.inst(n).ended == nil {
		s.inst(n).ended = t.DeepCopy()
	}
	if t := st.LastTerminationState.Terminated; n > 0 && t != nil && s.inst(n-1).ended == nil {
		s.inst(n - 1).ended = t.DeepCopy()
	}
}

// watcher follows one pod and its events through informers.
type watcher struct {
	container string
	mu        sync.Mutex
	s         seen
	changed   chan struct{}
	cancel    context.CancelFunc
	done      sync.WaitGroup
}

// watch starts following pod name in namespace; it need not exist yet.
func watch(ctx context.Context, cs kubernetes.Interface, namespace, name, container string) (*watcher, error) {
	ctx, cancel := context.WithCancel(ctx)
	w := &watcher{container: container, changed: make(chan struct{}, 1), cancel: cancel}
	byName := fields.OneTermEqualSelector("metadata.name", name).String()
	pods := informer(cs, cache.NewFilteredListWatchFromClient(cs.CoreV1().RESTClient(), "pods", namespace,
		func(o *metav1.ListOptions) { o.FieldSelector = byName }), &corev1.Pod{}, func(obj any) {
		if p, ok := obj.(*corev1.Pod); ok {
			w.pod(p)
		}
	})
	about := fields.Set{"involvedObject.kind": "Pod", "involvedObject.name": name}.AsSelector().String()
	events := informer(cs, cache.NewFilteredListWatchFromClient(cs.CoreV1().RESTClient(), "events", namespace,
		func(o *metav1.ListOptions) { o.FieldSelector = about }), &corev1.Event{}, func(obj any) {
		if e, ok := obj.(*corev1.Event); ok {
			w.event(e)
		}
	})
	for _, c := range []cache.Controller{pods, events} {
		w.done.Go(func() { c.Run(ctx.Done()) })
	}
	if !cache.WaitForCacheSync(ctx.Done(), pods.HasSynced, events.HasSynced) {
		w.stop()
		return nil, fmt.Errorf("watching pod %s/%s: %w", namespace, name, context.Cause(ctx))
	}
	return w, nil
}

func informer(cs kubernetes.Interface, lw *cache.ListWatch, obj runtime.Object, f func(any)) cache.Controller {
	_, c := cache.NewInformerWithOptions(cache.InformerOptions{
		ListerWatcher: cache.ToListWatcherWithWatchListSemantics(lw, cs),
		ObjectType:    obj,
		Handler: cache.ResourceEventHandlerFuncs{
			AddFunc:    f,
			UpdateFunc: func(_, o any) { f(o) },
		},
	})
	return c
}

func (w *watcher) stop() {
	w.cancel()
	w.done.Wait()
}

// snapshot returns what was seen so far.
func (w *watcher) snapshot() seen {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.s
	s.instances = map[int32]*instance{}
	for n, in := range w.s.instances {
		c := *in
		s.instances[n] = &c
	}
	s.backOff = append([]string(nil), s.backOff...)
	s.unhealthy = append([]string(nil), s.unhealthy...)
	s.killing = append([]string(nil), s.killing...)
	s.liveFailures = append([]time.Time(nil), s.liveFailures...)
	s.readyFailures = append([]time.Time(nil), s.readyFailures...)
	return s
}

// update applies f under the lock and wakes a waiter.
func (w *watcher) update(f func(s *seen)) {
	w.mu.Lock()
	f(&w.s)
	w.mu.Unlock()
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

func (w *watcher) pod(p *corev1.Pod) {
	now := time.Now()
	if p.Spec.NodeName != "" {
		w.update(func(s *seen) { s.node = p.Spec.NodeName })
	}
	for _, st := range p.Status.ContainerStatuses {
		if st.Name != w.container {
			continue
		}
		w.update(func(s *seen) { s.observe(st, now) })
	}
}

// observe records a container status seen at now.
func (s *seen) observe(st corev1.ContainerStatus, now time.Time) {
	if r := st.State.Running; r != nil && s.startedAt.IsZero() && st.RestartCount == 0 {
		s.startedAt = r.StartedAt.Time
	}
	if st.Started != nil && *st.Started && s.started.IsZero() && st.RestartCount == 0 {
		s.started = now
	}
	if st.Ready && s.ready.IsZero() && st.RestartCount == 0 {
		s.ready = now
	}
	s.restarts = max(s.restarts, st.RestartCount)
	s.recordInstances(st, now)
	if w := st.State.Waiting; w != nil && w.Reason == "CrashLoopBackOff" {
		s.waitBackOff, _, _ = strings.Cut(w.Message, " restarting")
	}
	if s.ended != nil {
		return
	}
	switch {
	case st.RestartCount > 0 && st.LastTerminationState.Terminated != nil:
		s.ended, s.endedAt = st.LastTerminationState.Terminated.DeepCopy(), now
	case st.State.Terminated != nil:
		s.ended, s.endedAt = st.State.Terminated.DeepCopy(), now
	}
	if s.ended != nil && s.startedAt.IsZero() { // it ended before a watch saw it run
		s.startedAt = s.ended.StartedAt.Time
	}
}

func (w *watcher) event(e *corev1.Event) {
	if e.InvolvedObject.FieldPath != "" && e.InvolvedObject.FieldPath != fmt.Sprintf("spec.containers{%s}", w.container) {
		return
	}
	now := time.Now()
	w.update(func(s *seen) {
		switch e.Reason {
		case "Unhealthy": // exec probes end their output with a newline
			s.unhealthy = appendOnce(s.unhealthy, strings.TrimSpace(e.Message))
			switch {
			case strings.HasPrefix(e.Message, "Liveness probe"):
				s.liveFailures = append(s.liveFailures, now)
			case strings.HasPrefix(e.Message, "Readiness probe"):
				s.readyFailures = append(s.readyFailures, now)
			}
		case "Killing":
			if s.killedAt.IsZero() {
				s.killedAt = now
			}
			s.lastKill = now
			s.killing = appendOnce(s.killing, e.Message)
		case "BackOff":
			s.backOff = appendOnce(s.backOff, e.Message)
		}
	})
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
