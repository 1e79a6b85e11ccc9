package observe

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// occurrence is one time an event happened. The API server stores repeats of
// an identical event as one object whose count grows (core/v1 count and
// lastTimestamp, written by client-go tools/record/events_cache.go) or whose
// series grows (series.count and series.lastObservedTime, written by the
// events.k8s.io library in client-go tools/events). Each increase is one more
// occurrence.
type occurrence struct {
	n  int32 // 1 for the first occurrence, count for the latest
	at time.Time
	// estimated is true when the API never showed this occurrence's own time:
	// the count jumped by more than one between two versions we saw (a watch
	// gap, or a series flushed in bulk), so we spread the missing ones evenly.
	estimated bool
}

// eventRecord is everything seen of one Event object (one UID).
type eventRecord struct {
	latest *corev1.Event
	occ    []occurrence
}

// eventAggregate reads an event's aggregation: how many times it happened, and
// when first and last. core/v1 events from the kubelet carry count,
// firstTimestamp and lastTimestamp (seconds); events written through
// events.k8s.io/v1 carry eventTime and series (microseconds).
func eventAggregate(ev *corev1.Event) (count int32, first, last time.Time) {
	first = ev.EventTime.Time
	if first.IsZero() {
		first = ev.FirstTimestamp.Time
	}
	if first.IsZero() {
		first = ev.CreationTimestamp.Time
	}
	count, last = ev.Count, ev.LastTimestamp.Time
	if ev.Series != nil {
		count, last = ev.Series.Count, ev.Series.LastObservedTime.Time
	}
	if count < 1 {
		count = 1
	}
	if last.IsZero() || last.Before(first) {
		last = first
	}
	return count, first, last
}

// observe folds a new version of the event into the record and reports
// whether it added occurrences. A version whose count is not higher than what
// was already seen (a relist after a watch restart, an unrelated update) adds
// nothing, so occurrences are never duplicated.
func (r *eventRecord) observe(ev *corev1.Event) bool {
	count, first, last := eventAggregate(ev)
	r.latest = ev
	seen := int32(len(r.occ))
	if count <= seen {
		return false
	}
	if seen == 0 {
		r.occ = append(r.occ, occurrence{n: 1, at: first})
		seen = 1
	}
	from := r.occ[len(r.occ)-1].at
	for n := seen + 1; n <= count; n++ {
		r.occ = append(r.occ, occurrence{
			n:         n,
			at:        spread(from, last, n-seen, count-seen),
			estimated: n < count,
		})
	}
	return true
}

// spread places the i-th of k occurrences between from (exclusive) and to
// (inclusive): the k-th lands exactly on to.
func spread(from, to time.Time, i, k int32) time.Time {
	if !to.After(from) {
		return to
	}
	step := to.Sub(from) / time.Duration(k)
	return from.Add(step * time.Duration(i))
}

// containerOfFieldPath returns the container an event is about: the kubelet
// sets involvedObject.fieldPath to "spec.containers{name}"
// (pkg/kubelet/container/ref.go, v1.37.2). Pod-level events have no field path.
func containerOfFieldPath(fieldPath string) string {
	for _, prefix := range []string{"spec.containers{", "spec.initContainers{", "spec.ephemeralContainers{"} {
		if rest, ok := strings.CutPrefix(fieldPath, prefix); ok {
			return strings.TrimSuffix(rest, "}")
		}
	}
	return ""
}

// aboutPod reports whether an event is about the pod (uid, or name when the
// event carries no uid).
func aboutPod(ev *corev1.Event, uid types.UID, name string) bool {
	if ev.InvolvedObject.Kind != "" && ev.InvolvedObject.Kind != "Pod" {
		return false
	}
	if ev.InvolvedObject.UID != "" {
		return ev.InvolvedObject.UID == uid
	}
	return ev.InvolvedObject.Name == name
}
