package observe

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// runner is the part of cache.Controller the observer runs.
type runner interface {
	RunWithContext(ctx context.Context)
}

// newPodInformer watches the target's pods. An informer rather than a bare
// watch: its reflector relists on "resourceVersion too old" (410 Gone) and
// rewatches from the last resourceVersion when the server closes the watch
// (k8s.io/client-go tools/cache/reflector.go, v0.37.2).
func newPodInformer(cs kubernetes.Interface, t target, o *Observer) cache.Controller {
	narrow := func(opts *metav1.ListOptions) {
		opts.FieldSelector = t.podFieldSelector()
		opts.LabelSelector = t.podLabelSelector()
	}
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			narrow(&opts)
			return cs.CoreV1().Pods(t.namespace).List(ctx, opts)
		},
		WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
			narrow(&opts)
			return cs.CoreV1().Pods(t.namespace).Watch(ctx, opts)
		},
	}
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { onPod(o, obj, false) },
		UpdateFunc: func(_, obj any) { onPod(o, obj, false) },
		DeleteFunc: func(obj any) { onPod(o, obj, true) },
	}
	return newInformer(cs, lw, &corev1.Pod{}, handler)
}

// newEventInformer watches core/v1 Events about the target's pods. The
// kubelet records through the core/v1 broadcaster (cmd/kubelet/app/server.go
// record.NewBroadcaster), and events written through events.k8s.io/v1 are
// served by core/v1 as well (same storage, with series and eventTime set), so
// one watch sees both. Deletions (the one-hour event TTL) are ignored.
func newEventInformer(cs kubernetes.Interface, t target, o *Observer) cache.Controller {
	narrow := func(opts *metav1.ListOptions) { opts.FieldSelector = t.eventFieldSelector() }
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			narrow(&opts)
			return cs.CoreV1().Events(t.namespace).List(ctx, opts)
		},
		WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
			narrow(&opts)
			return cs.CoreV1().Events(t.namespace).Watch(ctx, opts)
		},
	}
	onEvent := func(obj any) {
		if ev, ok := obj.(*corev1.Event); ok {
			o.update(func(s *state) bool { return s.event(ev) })
		}
	}
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    onEvent,
		UpdateFunc: func(_, obj any) { onEvent(obj) },
	}
	return newInformer(cs, lw, &corev1.Event{}, handler)
}

// newInformer builds an informer without a resync (facts only change when
// the objects do). The wrapper tells the reflector whether the client can do
// streaming lists (WatchListClient); client-go's fake clientset cannot.
func newInformer(cs kubernetes.Interface, lw *cache.ListWatch, obj runtime.Object, h cache.ResourceEventHandler) cache.Controller {
	_, c := cache.NewInformerWithOptions(cache.InformerOptions{
		ListerWatcher: cache.ToListWatcherWithWatchListSemantics(lw, cs),
		ObjectType:    obj,
		Handler:       h,
	})
	return c
}

// onPod unwraps a pod from an informer notification. A pod deleted while the
// watch was down arrives as DeletedFinalStateUnknown with its last known state.
func onPod(o *Observer, obj any, deleted bool) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	if deleted {
		o.update(func(s *state) bool { return s.podGone(p) })
		return
	}
	o.update(func(s *state) bool { return s.pod(p) })
}

// waitSynced waits until both informers have delivered their initial lists.
func waitSynced(ctx context.Context, cs ...cache.Controller) error {
	checkers := make([]cache.DoneChecker, 0, len(cs))
	for _, c := range cs {
		checkers = append(checkers, c.HasSyncedChecker())
	}
	if !cache.WaitFor(ctx, "", checkers...) {
		return fmt.Errorf("initial list of pods and events: %w", context.Cause(ctx))
	}
	return nil
}
