package observe

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// The fixtures follow the seed drill as measured on a kind cluster
// (docs/kubelet-facts.md): pod "seed" in namespace "drill", container
// "test2", created at t0; kills at +80 s and +160 s.

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

const (
	ns      = "drill"
	podName = "seed"
	podUID  = types.UID("0b5c9e1f-seed")
	ctr     = "test2"
)

func at(sec int) metav1.Time { return metav1.NewTime(t0.Add(time.Duration(sec) * time.Second)) }

func sec(s int) time.Duration { return time.Duration(s) * time.Second }

// newPod returns the seed pod with a status built by the given options.
func newPod(opts ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: podName, Namespace: ns, UID: podUID, CreationTimestamp: at(0),
			Labels: map[string]string{"app": "seed"},
		},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: ctr, Image: "faultyapp"}}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func terminated(id string, started, finished int, code int32, reason string) *corev1.ContainerStateTerminated {
	return &corev1.ContainerStateTerminated{
		ContainerID: id, StartedAt: at(started), FinishedAt: at(finished), ExitCode: code, Reason: reason,
	}
}

// running: the container instance id runs since started; last is lastState.
func running(id string, restarts int32, started int, last *corev1.ContainerStateTerminated) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		cs := corev1.ContainerStatus{
			Name: ctr, ContainerID: id, RestartCount: restarts, Ready: true,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: at(started)}},
		}
		if last != nil {
			cs.LastTerminationState.Terminated = last
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}
}

// crashLooping: waiting in CrashLoopBackOff after last died; the kubelet
// wrote that status at written.
func crashLooping(restarts int32, last *corev1.ContainerStateTerminated, delay string, written int) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		msg := fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)", delay, ctr, podName, ns, podUID)
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{
			Name: ctr, ContainerID: last.ContainerID, RestartCount: restarts,
			State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: msg}},
			LastTerminationState: corev1.ContainerState{Terminated: last},
		}}
		w := at(written)
		p.ManagedFields = []metav1.ManagedFieldsEntry{
			{Manager: "kubectl-create", Operation: metav1.ManagedFieldsOperationUpdate, Time: ptr(at(0))},
			{Manager: "kubelet", Operation: metav1.ManagedFieldsOperationUpdate, Subresource: "status", Time: &w},
		}
	}
}

func ready(status corev1.ConditionStatus, since int) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: status, LastTransitionTime: at(since)}}
	}
}

func deleting(requested int, grace int64) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.DeletionTimestamp = ptr(at(requested + int(grace)))
		p.DeletionGracePeriodSeconds = &grace
	}
}

// newEvent is a core/v1 event as the kubelet's recorder writes it, seen
// count times between first and last.
func newEvent(name, typ, reason, msg string, count int32, first, last int) *corev1.Event {
	return &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: podName + "." + name, Namespace: ns, UID: types.UID("ev-" + name)},
		InvolvedObject: corev1.ObjectReference{
			Kind: "Pod", Namespace: ns, Name: podName, UID: podUID, APIVersion: "v1",
			FieldPath: "spec.containers{" + ctr + "}",
		},
		Type: typ, Reason: reason, Message: msg, Count: count,
		FirstTimestamp: at(first), LastTimestamp: at(last),
		Source: corev1.EventSource{Component: "kubelet", Host: "probedrill-worker"},
	}
}

func withCount(ev *corev1.Event, count int32, last int) *corev1.Event {
	ev = ev.DeepCopy()
	ev.Count, ev.LastTimestamp = count, at(last)
	return ev
}

const (
	msgUnhealthy = "Liveness probe failed: HTTP probe failed with statuscode: 500"
	msgKilling   = "Container test2 failed liveness probe, will be restarted"
	msgBackOff   = "Back-off restarting failed container test2 in pod seed_drill(0b5c9e1f-seed)"
)

func ptr[T any](v T) *T { return &v }
