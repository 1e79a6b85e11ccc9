package observe

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestEventAggregation(t *testing.T) {
	base := newEvent("unhealthy", "Warning", "Unhealthy", msgUnhealthy, 1, 60, 60)
	series := func(first, last int, count int32) *corev1.Event {
		ev := base.DeepCopy()
		ev.Count, ev.FirstTimestamp, ev.LastTimestamp = 0, metav1.Time{}, metav1.Time{}
		ev.EventTime = metav1.NewMicroTime(at(first).Add(250 * time.Millisecond))
		if count > 0 {
			ev.Series = &corev1.EventSeries{Count: count, LastObservedTime: metav1.NewMicroTime(at(last).Add(250 * time.Millisecond))}
		}
		return ev
	}
	o := func(n int32, s int, est bool) occurrence { return occurrence{n: n, at: at(s).Time, estimated: est} }
	oMicro := func(n int32, s int, est bool) occurrence {
		return occurrence{n: n, at: at(s).Add(250 * time.Millisecond), estimated: est}
	}
	cases := []struct {
		name     string
		versions []*corev1.Event
		want     []occurrence
	}{{
		name:     "one MODIFIED per increment",
		versions: []*corev1.Event{base, withCount(base, 2, 70), withCount(base, 3, 80)},
		want:     []occurrence{o(1, 60, false), o(2, 70, false), o(3, 80, false)},
	}, {
		name:     "repeated and stale versions add nothing",
		versions: []*corev1.Event{base, withCount(base, 2, 70), withCount(base, 2, 70), base, withCount(base, 3, 80)},
		want:     []occurrence{o(1, 60, false), o(2, 70, false), o(3, 80, false)},
	}, {
		name:     "a count jump after a watch gap spreads the hidden occurrences",
		versions: []*corev1.Event{base, withCount(base, 4, 90)},
		want:     []occurrence{o(1, 60, false), o(2, 70, true), o(3, 80, true), o(4, 90, false)},
	}, {
		name:     "first seen already aggregated",
		versions: []*corev1.Event{withCount(base, 3, 80)},
		want:     []occurrence{o(1, 60, false), o(2, 70, true), o(3, 80, false)},
	}, {
		name:     "events.k8s.io event without series happened once",
		versions: []*corev1.Event{series(5, 0, 0)},
		want:     []occurrence{oMicro(1, 5, false)},
	}, {
		name:     "series starts at count 2 (client-go tools/events)",
		versions: []*corev1.Event{series(5, 0, 0), series(5, 15, 2), series(5, 35, 4)},
		want:     []occurrence{oMicro(1, 5, false), oMicro(2, 15, false), oMicro(3, 25, true), oMicro(4, 35, false)},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r eventRecord
			for _, v := range c.versions {
				r.observe(v)
			}
			if diff := cmp.Diff(c.want, r.occ, cmp.AllowUnexported(occurrence{})); diff != "" {
				t.Errorf("occurrences (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContainerOfFieldPath(t *testing.T) {
	cases := map[string]string{
		"spec.containers{test2}":     "test2",
		"spec.initContainers{setup}": "setup",
		"":                           "",
		"spec.containers[0]":         "",
	}
	for in, want := range cases {
		if got := containerOfFieldPath(in); got != want {
			t.Errorf("containerOfFieldPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKindOfEvent(t *testing.T) {
	cases := []struct {
		reason, msg string
		want        string
	}{
		{"Unhealthy", msgUnhealthy, "Unhealthy"},
		{"Killing", msgKilling, "Killing"},
		{"BackOff", msgBackOff, "BackOff"},
		{"BackOff", `Back-off pulling image "faultyapp:dev"`, ""},
		{"Started", "Started container test2", ""},
	}
	for _, c := range cases {
		ev := newEvent("x", "Warning", c.reason, c.msg, 1, 0, 0)
		if got := string(kindOfEvent(ev)); got != c.want {
			t.Errorf("kindOfEvent(%s %q) = %q, want %q", c.reason, c.msg, got, c.want)
		}
	}
}
