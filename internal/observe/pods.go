package observe

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// containerFact is one container instance (one container ID) of one pod.
type containerFact struct {
	name     string
	id       string
	instance int
	started  time.Time
	finished time.Time
	exitCode *int32
	reason   string
	// derived is true while the instance number was inferred from
	// lastState; a later running/terminated state overrides it.
	derived bool
}

// backOffFact is one CrashLoopBackOff episode: the kubelet holding back the
// restart of the instance that died (deadID).
type backOffFact struct {
	container string
	deadID    string
	at        time.Time
	estimated bool
	message   string
}

// readyFact is one value of the pod's Ready condition.
type readyFact struct {
	ready bool
	at    time.Time
}

// deletedFact is when deletion of the pod was requested.
type deletedFact struct {
	at        time.Time
	estimated bool
	grace     int64
}

// podRecord is everything seen of one pod (one UID). Facts are keyed so that
// seeing the same object twice (a relist after a watch restart) adds nothing.
type podRecord struct {
	uid        types.UID
	name       string
	created    time.Time
	latest     *corev1.Pod
	containers map[string]*containerFact // by container ID
	backOffs   map[string]*backOffFact   // by the dead container's ID
	ready      []readyFact
	deleted    *deletedFact
	// statuses is what each new version of the container statuses said,
	// in order (see History).
	statuses []string
}

func newPodRecord(p *corev1.Pod) *podRecord {
	return &podRecord{
		uid:        p.UID,
		name:       p.Name,
		created:    p.CreationTimestamp.Time,
		containers: map[string]*containerFact{},
		backOffs:   map[string]*backOffFact{},
	}
}

// observe folds a new version of the pod into the record.
func (r *podRecord) observe(p *corev1.Pod) {
	r.latest = p
	r.remember(p)
	for i := range p.Status.ContainerStatuses {
		r.observeContainer(p, &p.Status.ContainerStatuses[i])
	}
	r.observeReady(p)
	if p.DeletionTimestamp != nil && r.deleted == nil {
		r.deleted = deletionRequest(p)
	}
}

// gone records that the pod object was removed. now is used only when the
// last version we have carries no deletionTimestamp (deleted with grace 0
// while the watch was down).
func (r *podRecord) gone(p *corev1.Pod, now time.Time) {
	if r.deleted != nil {
		return
	}
	if p.DeletionTimestamp != nil {
		r.deleted = deletionRequest(p)
		return
	}
	r.deleted = &deletedFact{at: now, estimated: true}
}

// deletionRequest recovers when deletion was requested: the API server sets
// deletionTimestamp to request time + grace period
// (k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete, v1.37.2).
func deletionRequest(p *corev1.Pod) *deletedFact {
	var grace int64
	if p.DeletionGracePeriodSeconds != nil {
		grace = *p.DeletionGracePeriodSeconds
	}
	at := p.DeletionTimestamp.Add(-time.Duration(grace) * time.Second)
	return &deletedFact{at: at, grace: grace}
}

// observeContainer reads one container status. restartCount is the number of
// the newest instance the runtime knows (its restart-count annotation,
// pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses, v1.37.2). While
// the container is running or terminated, lastState is the instance before
// it; while it waits (CrashLoopBackOff), lastState is the newest instance
// itself, moved there from state.
func (r *podRecord) observeContainer(p *corev1.Pod, cs *corev1.ContainerStatus) {
	n := int(cs.RestartCount)
	switch {
	case cs.State.Running != nil:
		f := r.container(cs.Name, cs.ContainerID, n, false)
		if f != nil && f.started.IsZero() {
			f.started = cs.State.Running.StartedAt.Time
		}
	case cs.State.Terminated != nil:
		t := cs.State.Terminated
		r.terminate(r.container(cs.Name, firstNonEmpty(t.ContainerID, cs.ContainerID), n, false), t)
	}
	last := cs.LastTerminationState.Terminated
	if last == nil {
		return
	}
	prev := n - 1
	if cs.State.Waiting != nil {
		prev = n
	}
	r.terminate(r.container(cs.Name, last.ContainerID, prev, true), last)
	if w := cs.State.Waiting; w != nil && w.Reason == "CrashLoopBackOff" {
		r.observeBackOff(p, cs.Name, w.Message, last)
	}
}

// container returns the fact for a container ID, creating it. IDs are unique
// per instance, so this is where restarts are deduplicated. An empty ID
// (the kubelet's synthesized ContainerStatusUnknown termination) is skipped.
func (r *podRecord) container(name, id string, instance int, derived bool) *containerFact {
	if id == "" {
		return nil
	}
	f, ok := r.containers[id]
	if !ok {
		f = &containerFact{name: name, id: id, instance: max(instance, 0), derived: derived}
		r.containers[id] = f
	} else if f.derived && !derived {
		f.instance, f.derived = instance, false
	}
	return f
}

// terminate records how an instance ended. Exit code and reason follow the
// newest version: containerd learns of an OOM kill from a TaskOOM event
// that may be handled after the exit, so a status first says "Error" and
// then "OOMKilled" for the same container (containerd internal/cri/server
// events.go), and the kubelet passes both on.
func (r *podRecord) terminate(f *containerFact, t *corev1.ContainerStateTerminated) {
	if f == nil {
		return
	}
	if f.started.IsZero() {
		f.started = t.StartedAt.Time
	}
	if t.FinishedAt.IsZero() {
		return
	}
	if f.finished.IsZero() {
		f.finished = t.FinishedAt.Time
	}
	code := t.ExitCode
	f.exitCode, f.reason = &code, t.Reason
}

// observeBackOff records a CrashLoopBackOff episode once per dead instance.
// A waiting state has no timestamp; the kubelet's status write does (its
// managedFields entry), so that is the best API time for it. Without one we
// fall back to the dead instance's finishedAt and mark the time estimated.
func (r *podRecord) observeBackOff(p *corev1.Pod, name, message string, last *corev1.ContainerStateTerminated) {
	if last.ContainerID == "" || r.backOffs[last.ContainerID] != nil {
		return
	}
	f := &backOffFact{container: name, deadID: last.ContainerID, message: message, at: statusWriteTime(p)}
	if f.at.IsZero() || f.at.Before(last.FinishedAt.Time) {
		f.at, f.estimated = last.FinishedAt.Time, true
	}
	r.backOffs[last.ContainerID] = f
}

// statusWriteTime is the time of the latest write to the pod's status
// subresource, from managedFields (zero when the server did not record it).
func statusWriteTime(p *corev1.Pod) time.Time {
	var at time.Time
	for _, m := range p.ManagedFields {
		if m.Subresource == "status" && m.Time != nil && m.Time.After(at) {
			at = m.Time.Time
		}
	}
	return at
}

// observeReady records each distinct value of the Ready condition.
func (r *podRecord) observeReady(p *corev1.Pod) {
	for _, c := range p.Status.Conditions {
		if c.Type != corev1.PodReady || c.LastTransitionTime.IsZero() {
			continue
		}
		f := readyFact{ready: c.Status == corev1.ConditionTrue, at: c.LastTransitionTime.Time}
		seen := slices.ContainsFunc(r.ready, func(g readyFact) bool { return g.ready == f.ready && g.at.Equal(f.at) })
		if !seen {
			r.ready = append(r.ready, f)
		}
	}
}

// readyBefore reports whether the pod was Ready at some time before t.
func (r *podRecord) readyBefore(t time.Time) bool {
	return slices.ContainsFunc(r.ready, func(f readyFact) bool { return f.ready && f.at.Before(t) })
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// maxStatuses bounds the status history kept per pod.
const maxStatuses = 200

// remember keeps a one-line summary of the pod's container statuses when it
// differs from the last one: when the timeline looks wrong, this is what
// the API showed, in order.
func (r *podRecord) remember(p *corev1.Pod) {
	var b strings.Builder
	for _, cs := range p.Status.ContainerStatuses {
		fmt.Fprintf(&b, "%s restarts=%d %s last=%s ", cs.Name, cs.RestartCount, stateWords(cs.State), stateWords(cs.LastTerminationState))
	}
	line := strings.TrimSpace(b.String())
	if n := len(r.statuses); line == "" || (n > 0 && strings.HasSuffix(r.statuses[n-1], "  "+line)) || n >= maxStatuses {
		return
	}
	r.statuses = append(r.statuses, statusWriteTime(p).UTC().Format("15:04:05")+"  "+line)
}

// stateWords renders a container state in a few words with the last 8
// characters of its container ID.
func stateWords(s corev1.ContainerState) string {
	short := func(id string) string { return id[max(len(id)-8, 0):] }
	switch {
	case s.Running != nil:
		return "running(" + s.Running.StartedAt.UTC().Format("15:04:05") + ")"
	case s.Terminated != nil:
		t := s.Terminated
		return fmt.Sprintf("terminated(%s %d %s %s)", short(t.ContainerID), t.ExitCode, t.Reason, t.FinishedAt.UTC().Format("15:04:05"))
	case s.Waiting != nil:
		return "waiting(" + s.Waiting.Reason + ")"
	}
	return "-"
}
