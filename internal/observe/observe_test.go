package observe

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/probedrill/probedrill/internal/timeline"
)

// testTimeout bounds every wait in these tests; a relist after an expired
// watch waits for the reflector's back-off (0.8–1.6 s), so this is generous.
const testTimeout = 20 * time.Second

// watchOpened makes the fake clientset report each watch it opens. The fake
// does not replay from a resourceVersion, so a test must not write before the
// observer's watches are open or the write is lost (to the test, not to a
// real API server).
func watchOpened(cs *fake.Clientset) <-chan string {
	opened := make(chan string, 16)
	cs.PrependWatchReactor("*", func(a k8stesting.Action) (bool, watch.Interface, error) {
		w, err := cs.Tracker().Watch(a.GetResource(), a.GetNamespace())
		if err == nil {
			opened <- a.GetResource().Resource
		}
		return true, w, err
	})
	return opened
}

// waitFor waits on the observer's change signals until cond holds.
func waitFor(t *testing.T, ctx context.Context, o *Observer, what string, cond func(timeline.Timeline) bool) {
	t.Helper()
	for !cond(o.Timeline()) {
		select {
		case <-o.Changes():
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v; timeline:\n%v", what, ctx.Err(), o.Timeline().Entries)
		}
	}
}

func waitOpened(t *testing.T, ctx context.Context, opened <-chan string, n int) {
	t.Helper()
	for range n {
		select {
		case <-opened:
		case <-ctx.Done():
			t.Fatalf("waiting for %d watches: %v", n, ctx.Err())
		}
	}
}

// TestObserverThroughFakeClientset drives the seed history through the API
// (create, update status, event count increments) and expects the same
// timeline the pure state test derives.
func TestObserverThroughFakeClientset(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cs := fake.NewClientset()
	opened := watchOpened(cs)

	o, err := Pod(ctx, cs, ns, podName)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Stop()
	waitOpened(t, ctx, opened, 2)
	select {
	case <-o.Started():
		t.Fatal("Started() closed before any pod exists")
	default:
	}

	pods, events := seedHistory()
	apply(t, ctx, cs, pods, events)
	want := seedTimeline()
	waitFor(t, ctx, o, "the seed history", func(tl timeline.Timeline) bool { return len(tl.Entries) == len(want) })
	select {
	case <-o.Started():
	default:
		t.Error("Started() still open after the seed pod's containers ran")
	}

	// The fake clientset drops managedFields on update, so the kubelet's
	// status write time is unknown here: the CrashLoopBackOff entry falls
	// back to the dead instance's finishedAt and says it is estimated.
	for i, e := range want {
		if e.Reason == "CrashLoopBackOff" {
			want[i].At, want[i].Earliest, want[i].Latest, want[i].Estimated = sec(160), sec(160), sec(160), true
		}
	}
	if diff := cmp.Diff(want, o.Timeline().Entries); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if got := o.RestartCount(); got != 2 {
		t.Errorf("RestartCount() = %d, want 2", got)
	}
	if p := o.Pod(); p == nil || p.Status.ContainerStatuses[0].ContainerID != "containerd://c2" {
		t.Errorf("Pod() is not the latest version: %v", p)
	}
	if got := len(o.Events()); got != 3 {
		t.Errorf("Events() has %d events, want 3 (Unhealthy, Killing, BackOff)", got)
	}
}

// apply writes pod versions and event versions through the clientset.
func apply(t *testing.T, ctx context.Context, cs *fake.Clientset, pods []*corev1.Pod, events []*corev1.Event) {
	t.Helper()
	podsAPI, eventsAPI := cs.CoreV1().Pods(ns), cs.CoreV1().Events(ns)
	for i, p := range pods {
		var err error
		if i == 0 {
			_, err = podsAPI.Create(ctx, p, metav1.CreateOptions{})
		} else {
			_, err = podsAPI.UpdateStatus(ctx, p, metav1.UpdateOptions{})
		}
		if err != nil {
			t.Fatalf("pod version %d: %v", i, err)
		}
	}
	created := map[string]bool{}
	for _, ev := range events {
		var err error
		if created[ev.Name] {
			_, err = eventsAPI.Update(ctx, ev, metav1.UpdateOptions{})
		} else {
			_, err = eventsAPI.Create(ctx, ev, metav1.CreateOptions{})
		}
		if err != nil {
			t.Fatalf("event %s: %v", ev.Name, err)
		}
		created[ev.Name] = true
	}
}

// TestObserverSurvivesWatchRestarts feeds the events watch by hand: an
// expired resourceVersion (410 Gone) forces a relist that finds a count that
// grew while the watch was down, and a closed channel forces a rewatch.
// Every occurrence must appear exactly once.
func TestObserverSurvivesWatchRestarts(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cs := fake.NewClientset(newPod(running("containerd://c0", 0, 1, nil)))
	watchers := make(chan *watch.RaceFreeFakeWatcher, 4)
	cs.PrependWatchReactor("events", func(k8stesting.Action) (bool, watch.Interface, error) {
		w := watch.NewRaceFreeFake()
		watchers <- w
		return true, w, nil
	})
	o, err := Pod(ctx, cs, ns, podName)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Stop()
	ev := newEvent("unhealthy", "Warning", "Unhealthy", msgUnhealthy, 1, 60, 60)
	tracked := func(count int32, last int) *corev1.Event {
		v := withCount(ev, count, last)
		v.ResourceVersion = fmt.Sprint(count)
		return v
	}
	counts := func(n int) func(timeline.Timeline) bool {
		return func(tl timeline.Timeline) bool { return len(tl.Of(timeline.ProbeFailed)) >= n }
	}

	w := next(t, ctx, watchers)
	w.Add(tracked(1, 60))
	w.Modify(tracked(2, 70))
	waitFor(t, ctx, o, "two occurrences", counts(2))

	// While the watch is down the kubelet bumps the count twice.
	if err := cs.Tracker().Add(tracked(4, 90)); err != nil {
		t.Fatal(err)
	}
	w.Error(&metav1.Status{Status: metav1.StatusFailure, Code: 410, Reason: metav1.StatusReasonExpired, Message: "too old resource version"})
	w = next(t, ctx, watchers) // opened after the relist
	waitFor(t, ctx, o, "the relisted count", counts(4))
	w.Modify(tracked(5, 100))
	w.Stop() // the server closes the watch
	w = next(t, ctx, watchers)
	w.Modify(tracked(5, 100)) // a replay must not double-count
	w.Modify(tracked(6, 110))
	waitFor(t, ctx, o, "six occurrences", counts(6))

	var got []string
	for _, e := range o.Timeline().Of(timeline.ProbeFailed) {
		got = append(got, fmt.Sprintf("%d@%s est=%v", e.Count, timeline.Offset(e.At), e.Estimated))
	}
	want := []string{
		"1@+1m0s est=false", "2@+1m10s est=false", "3@+1m20s est=true",
		"4@+1m30s est=false", "5@+1m40s est=false", "6@+1m50s est=false",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("occurrences (-want +got):\n%s", diff)
	}
}

func next(t *testing.T, ctx context.Context, ws <-chan *watch.RaceFreeFakeWatcher) *watch.RaceFreeFakeWatcher {
	t.Helper()
	select {
	case w := <-ws:
		return w
	case <-ctx.Done():
		t.Fatalf("waiting for a watch: %v", ctx.Err())
		return nil
	}
}

// TestObserverSeesDeletion follows a pod to its removal through the API.
func TestObserverSeesDeletion(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cs := fake.NewClientset()
	opened := watchOpened(cs)
	o, err := Pod(ctx, cs, ns, podName)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Stop()
	waitOpened(t, ctx, opened, 2)

	apply(t, ctx, cs, []*corev1.Pod{newPod(running("containerd://c0", 0, 1, nil)), newPod(running("containerd://c0", 0, 1, nil), deleting(100, 30))}, nil)
	if err := cs.CoreV1().Pods(ns).Delete(ctx, podName, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, o, "PodDeleted", func(tl timeline.Timeline) bool { return len(tl.Of(timeline.PodDeleted)) == 1 })
	if got := o.Timeline().Of(timeline.PodDeleted)[0].At; got != sec(100) {
		t.Errorf("PodDeleted at %v, want +100s (deletion request)", got)
	}
}

// TestStopEndsChangesAndIsIdempotent: Changes is closed by Stop, so a live
// display loop ends, and snapshots still work afterwards.
func TestStopEndsChangesAndIsIdempotent(t *testing.T) {
	defer goleak.VerifyNone(t)
	cs := fake.NewClientset(newPod(running("containerd://c0", 0, 1, nil)))
	o, err := Pod(context.Background(), cs, ns, podName)
	if err != nil {
		t.Fatal(err)
	}
	o.Stop()
	o.Stop()
	for range o.Changes() { // drains the pending signal, then ends
	}
	if o.RestartCount() != 0 || o.Pod() == nil {
		t.Errorf("snapshot after Stop: restarts %d, pod %v", o.RestartCount(), o.Pod())
	}
}

func TestStartErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	cs := fake.NewClientset()
	cs.PrependReactor("list", "events", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, fmt.Errorf("forbidden")
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := Pod(ctx, cs, ns, podName); err == nil {
		t.Error("Pod() with a failing events list: want an error once ctx expires")
	}
	if _, err := Pod(ctx, cs, ns, ""); err == nil {
		t.Error("Pod() with an empty name: want an error")
	}
	if _, err := Pods(ctx, cs, ns, "app in (("); err == nil {
		t.Error("Pods() with a bad selector: want an error")
	}
	if _, err := Pods(ctx, cs, ns, ""); err == nil {
		t.Error("Pods() with an empty selector: want an error")
	}
}

func TestPreviousLogs(t *testing.T) {
	cs := fake.NewClientset()
	got, err := PreviousLogs(context.Background(), cs, ns, podName, ctr)
	if err != nil || got != "fake logs" {
		t.Errorf("PreviousLogs() = %q, %v; want the fake clientset's body", got, err)
	}
	var logAction k8stesting.GenericAction
	for _, a := range cs.Actions() {
		if a.GetSubresource() == "log" {
			logAction, _ = a.(k8stesting.GenericAction)
		}
	}
	if logAction == nil {
		t.Fatalf("no pods/log request in %v", cs.Actions())
	}
	opts, _ := logAction.GetValue().(*corev1.PodLogOptions)
	if opts == nil || !opts.Previous || opts.Container != ctr {
		t.Errorf("log options = %+v, want Previous and container %s", opts, ctr)
	}
}
