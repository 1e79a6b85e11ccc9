package observe

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
)

// The Timeline is derived afresh from the recorded facts on every call, so an
// event that arrived before the pod status it belongs to (the two watches are
// not ordered against each other) is attributed to the right container
// instance as soon as that status shows up.

// builder turns one pod's facts into entries.
type builder struct {
	clock   timeline.Timeline // its OffsetOf places the API's timestamps
	pod     *podRecord
	podRank int
	out     []ranked
}

// ranked is an entry plus what orders entries that share a second (API
// timestamps have one-second resolution): pod, instance, then causal order.
type ranked struct {
	timeline.Entry
	podRank int
}

// kindRank is the causal order of entries of one instance in the same second.
func kindRank(k timeline.Kind) int {
	return slices.Index([]timeline.Kind{
		timeline.Started, timeline.Ready, timeline.ProbeFailed, timeline.NotReady,
		timeline.Killing, timeline.Terminated, timeline.BackOff, timeline.PodDeleted,
	}, k)
}

func (b *builder) add(e timeline.Entry, at time.Time) {
	e.At = b.clock.OffsetOf(at)
	e.Earliest, e.Latest = e.At, e.At
	e.Pod = b.pod.name
	b.out = append(b.out, ranked{Entry: e, podRank: b.podRank})
}

func (b *builder) containers() {
	for _, f := range b.pod.containers {
		if !f.started.IsZero() {
			b.add(timeline.Entry{Kind: timeline.Started, Instance: f.instance, Container: f.name, ContainerID: f.id}, f.started)
		}
		if !f.finished.IsZero() {
			b.add(timeline.Entry{
				Kind: timeline.Terminated, Instance: f.instance, Container: f.name, ContainerID: f.id,
				ExitCode: f.exitCode, Reason: f.reason,
			}, f.finished)
		}
	}
}

func (b *builder) backOffs() {
	for _, f := range b.pod.backOffs {
		inst := 0
		if dead := b.pod.containers[f.deadID]; dead != nil {
			inst = dead.instance
		}
		b.add(timeline.Entry{
			Kind: timeline.BackOff, Instance: inst, Container: f.container,
			Reason: "CrashLoopBackOff", Message: f.message, Estimated: f.estimated,
		}, f.at)
	}
}

// ready emits Ready for every True value and NotReady for a False value
// that came after a True. A pod starts with Ready=False, and a False whose
// transition time moved before the pod was ever Ready (a loaded CI run:
// running at +2s, False at +4s, the first True at +5s; docs/kubelet-probes.md,
// "Ready and NotReady in a timeline") is no transition either.
func (b *builder) ready() {
	name := b.soleContainer()
	for _, f := range b.pod.ready {
		kind := timeline.Ready
		if !f.ready {
			if !b.pod.readyBefore(f.at) {
				continue
			}
			kind = timeline.NotReady
		}
		b.add(timeline.Entry{Kind: kind, Container: name, Instance: b.instanceAlive(name, f.at)}, f.at)
	}
}

func (b *builder) deleted() {
	d := b.pod.deleted
	if d == nil {
		return
	}
	msg := fmt.Sprintf("pod %s deleted (grace period %ds)", b.pod.name, d.grace)
	b.add(timeline.Entry{Kind: timeline.PodDeleted, Message: msg, Estimated: d.estimated}, d.at)
}

// events adds one entry per occurrence of the events that tell the liveness
// story; reasons are the kubelet's (pkg/kubelet/events/event.go, v1.37.2).
func (b *builder) events(recs []*eventRecord) {
	for _, r := range recs {
		kind := kindOfEvent(r.latest)
		if kind == "" {
			continue
		}
		name := containerOfFieldPath(r.latest.InvolvedObject.FieldPath)
		for _, o := range r.occ {
			e := timeline.Entry{
				Kind: kind, Container: name, Message: r.latest.Message,
				Type: r.latest.Type, Count: o.n, Estimated: o.estimated,
			}
			e.Instance = b.instanceAlive(name, o.at)
			if kind == timeline.BackOff {
				e.Instance = b.instanceDead(name, o.at)
			}
			b.add(e, o.at)
		}
	}
}

// kindOfEvent maps an event reason to a timeline kind, or "" for events the
// timeline does not show. Reason "BackOff" is shared by image-pull back-off,
// so only the container-restart message counts
// (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff, v1.37.2).
func kindOfEvent(ev *corev1.Event) timeline.Kind {
	switch ev.Reason {
	case "Unhealthy":
		return timeline.ProbeFailed
	case "Killing":
		return timeline.Killing
	case "BackOff":
		if strings.HasPrefix(ev.Message, "Back-off restarting failed container") {
			return timeline.BackOff
		}
	}
	return ""
}

// instancesOf returns the pod's instances of a container, oldest first.
func (b *builder) instancesOf(name string) []*containerFact {
	var fs []*containerFact
	for _, f := range b.pod.containers {
		if f.name == name {
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(x, y *containerFact) int { return cmp.Compare(x.instance, y.instance) })
	return fs
}

// instanceAlive is the instance that was alive at t: the oldest one that had
// not finished before t. A probe failure or a kill belongs to the instance it
// ends, even when the next instance starts in the same second. An instance
// whose termination the status never showed ended, at the latest, when the
// next one started.
func (b *builder) instanceAlive(name string, t time.Time) int {
	fs := b.instancesOf(name)
	for i, f := range fs {
		end := f.finished
		if end.IsZero() && i+1 < len(fs) {
			end = fs[i+1].started
		}
		if end.IsZero() || !end.Before(t) {
			return f.instance
		}
	}
	if len(fs) == 0 {
		return 0
	}
	return fs[len(fs)-1].instance
}

// instanceDead is the newest instance started by t: a back-off holds back the
// restart of the instance that just died, and the status shows that
// instance's restartCount meanwhile.
func (b *builder) instanceDead(name string, t time.Time) int {
	inst := 0
	for _, f := range b.instancesOf(name) {
		if !f.started.After(t) {
			inst = f.instance
		}
	}
	return inst
}

// soleContainer names the pod's only container; pod-level facts (the Ready
// condition) are attributed to it.
func (b *builder) soleContainer() string {
	if p := b.pod.latest; p != nil && len(p.Spec.Containers) == 1 {
		return p.Spec.Containers[0].Name
	}
	return ""
}

// sortRanked orders entries by time, then pod, instance and causal order.
func sortRanked(rs []ranked) {
	slices.SortStableFunc(rs, func(x, y ranked) int {
		return cmp.Or(
			cmp.Compare(x.At, y.At),
			cmp.Compare(x.podRank, y.podRank),
			cmp.Compare(x.Instance, y.Instance),
			cmp.Compare(kindRank(x.Kind), kindRank(y.Kind)),
			cmp.Compare(x.Count, y.Count),
			cmp.Compare(x.Message, y.Message),
			cmp.Compare(x.ContainerID, y.ContainerID),
		)
	})
}
