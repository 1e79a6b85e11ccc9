package observe

import (
	"cmp"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/probedrill/probedrill/internal/timeline"
)

// target says which pods to follow: one pod by name, or every pod matching a
// label selector (a Deployment's pods, so a node-failure drill sees the
// replacement).
type target struct {
	namespace string
	name      string
	selector  labels.Selector
}

// podFieldSelector and podLabelSelector narrow the pod watch on the server.
func (t target) podFieldSelector() string {
	if t.name == "" {
		return ""
	}
	return fields.OneTermEqualSelector("metadata.name", t.name).String()
}

func (t target) podLabelSelector() string {
	if t.selector == nil {
		return ""
	}
	return t.selector.String()
}

// eventFieldSelector narrows the event watch: events about pods (by name when
// following one pod; the uid is not known before the pod exists).
func (t target) eventFieldSelector() string {
	set := fields.Set{"involvedObject.kind": "Pod"}
	if t.name != "" {
		set["involvedObject.name"] = t.name
	}
	return set.AsSelector().String()
}

// matches filters on the client too: fake clients ignore field selectors.
func (t target) matches(p *corev1.Pod) bool {
	if p.Namespace != t.namespace {
		return false
	}
	if t.name != "" {
		return p.Name == t.name
	}
	return t.selector.Matches(labels.Set(p.Labels))
}

// state is what the observer has seen. It is not safe for concurrent use; the
// Observer guards it.
type state struct {
	target target
	now    func() time.Time
	pods   map[types.UID]*podRecord
	events map[types.UID]*eventRecord
	// pauses are the machine's pauses seen while watching (see clock.go).
	pauses []wallPause
}

func newState(t target, now func() time.Time) *state {
	return &state{target: t, now: now, pods: map[types.UID]*podRecord{}, events: map[types.UID]*eventRecord{}}
}

func (s *state) record(p *corev1.Pod) *podRecord {
	r := s.pods[p.UID]
	if r == nil {
		r = newPodRecord(p)
		s.pods[p.UID] = r
	}
	return r
}

// pod folds in a pod version; it reports whether the pod is followed.
func (s *state) pod(p *corev1.Pod) bool {
	if !s.target.matches(p) {
		return false
	}
	s.record(p).observe(p)
	return true
}

// podGone records a pod's removal.
func (s *state) podGone(p *corev1.Pod) bool {
	if !s.target.matches(p) {
		return false
	}
	r := s.record(p)
	r.latest = p
	r.gone(p, s.now())
	return true
}

// event folds in an event version. Events are kept even after the API server
// drops them (their TTL is one hour), so no entry is ever lost.
func (s *state) event(ev *corev1.Event) bool {
	if ev.Namespace != s.target.namespace || ev.InvolvedObject.Kind != "Pod" {
		return false
	}
	if s.target.name != "" && ev.InvolvedObject.Name != s.target.name {
		return false
	}
	r := s.events[ev.UID]
	if r == nil {
		r = &eventRecord{}
		s.events[ev.UID] = r
	}
	return r.observe(ev)
}

// anyStarted reports whether a container of a followed pod has been seen
// running (it has a start time).
func (s *state) anyStarted() bool {
	for _, r := range s.pods {
		for _, f := range r.containers {
			if !f.started.IsZero() {
				return true
			}
		}
	}
	return false
}

// podsByAge returns the followed pods, oldest first.
func (s *state) podsByAge() []*podRecord {
	rs := make([]*podRecord, 0, len(s.pods))
	for _, r := range s.pods {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(x, y *podRecord) int {
		return cmp.Or(x.created.Compare(y.created), cmp.Compare(x.name, y.name), cmp.Compare(x.uid, y.uid))
	})
	return rs
}

// eventsOf returns the event records about one pod.
func (s *state) eventsOf(r *podRecord) []*eventRecord {
	var out []*eventRecord
	for _, e := range s.events {
		if aboutPod(e.latest, r.uid, r.name) {
			out = append(out, e)
		}
	}
	return out
}

// start is the creation time of the oldest followed pod: offsets count from it.
func (s *state) start() time.Time {
	if ps := s.podsByAge(); len(ps) > 0 {
		return ps[0].created
	}
	return time.Time{}
}

// timeline derives the observed Timeline from the facts.
func (s *state) timeline() timeline.Timeline {
	clock := clockFrom(s.start(), s.pauses)
	var all []ranked
	for i, r := range s.podsByAge() {
		b := &builder{clock: clock, pod: r, podRank: i}
		b.containers()
		b.backOffs()
		b.ready()
		b.deleted()
		b.events(s.eventsOf(r))
		all = append(all, b.out...)
	}
	sortRanked(all)
	tl := clock
	tl.Entries = make([]timeline.Entry, 0, len(all))
	for _, r := range all {
		tl.Entries = append(tl.Entries, r.Entry)
	}
	return tl
}

// newest is the newest followed pod that is not being deleted, else the
// newest pod.
func (s *state) newest() *podRecord {
	ps := s.podsByAge()
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].deleted == nil {
			return ps[i]
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps[len(ps)-1]
}

// rawEvents returns the latest version of every event about a followed pod,
// in the order `kubectl describe` prints them.
func (s *state) rawEvents() []corev1.Event {
	var out []corev1.Event
	for _, r := range s.podsByAge() {
		for _, e := range s.eventsOf(r) {
			out = append(out, *e.latest.DeepCopy())
		}
	}
	SortLikeDescribe(out)
	return out
}
