package verdict

import (
	"fmt"
	"slices"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// matcher hands out observed entries to predicted ones, each at most once.
type matcher struct {
	obs   []timeline.Entry
	used  []bool
	until time.Duration
}

func newMatcher(observed timeline.Timeline, until time.Duration) *matcher {
	var obs []timeline.Entry
	for _, e := range observed.Entries {
		if e.At <= until {
			obs = append(obs, e)
		}
	}
	return &matcher{obs: obs, used: make([]bool, len(obs)), until: until}
}

// peers reports whether two entries are the same kind of thing for the same
// container instance (any instance, for probe failures of one probe type).
// A side that leaves the container or probe type open matches any.
func peers(p, o timeline.Entry) bool {
	if p.Kind != o.Kind || (p.Container != "" && o.Container != "" && p.Container != o.Container) {
		return false
	}
	if p.Kind == timeline.ProbeFailed {
		pt := probeType(p.Message)
		return pt == "" || pt == probeType(o.Message)
	}
	return p.Instance == o.Instance
}

// nth is p's position (1-based) among its peers in the predicted entries up
// to and including it.
func (m *matcher) nth(upTo []timeline.Entry, p timeline.Entry) int {
	n := 0
	for _, e := range upTo {
		if peers(p, e) {
			n++
		}
	}
	return n
}

// candidates are the unused observed peers of p, in time order. A
// CrashLoopBackOff is seen twice, as the waiting state and as repeated
// Warning BackOff events; the state (one per episode) is preferred.
func (m *matcher) candidates(p timeline.Entry) []int {
	var idx, state []int
	for i, o := range m.obs {
		if m.used[i] || !peers(p, o) {
			continue
		}
		idx = append(idx, i)
		if o.Kind == timeline.BackOff && o.Type == "" {
			state = append(state, i)
		}
	}
	if len(state) > 0 {
		return state
	}
	return idx
}

// line matches one predicted entry.
func (m *matcher) line(p timeline.Entry, nth int) Match {
	if lo, _ := bounds(p); lo-Resolution > m.until {
		return Match{Status: NotYetDue, Label: label(p, nth), Predicted: &p,
			Text: fmt.Sprintf("%s predicted at %s is not due yet", label(p, nth), window(p))}
	}
	c := m.candidates(p)
	if len(c) == 0 {
		return Match{Status: Missing, Label: label(p, nth), Predicted: &p,
			Text: fmt.Sprintf("predicted %s at %s was not observed%s", label(p, nth), window(p), m.dropHint(p))}
	}
	m.used[c[0]] = true
	return judge(p, m.obs[c[0]], nth)
}

// dropHint explains a missing event-based entry when earlier ones of its kind
// were seen and none came after: the kubelet's recorder lets 25 events of one
// type about one pod through, then one every 5 minutes
// (k8s.io/client-go tools/record/events_cache.go defaultSpamBurst and
// defaultSpamQPS, used by the kubelet's record.NewBroadcaster).
func (m *matcher) dropHint(p timeline.Entry) string {
	if !slices.Contains([]timeline.Kind{timeline.ProbeFailed, timeline.Killing, timeline.BackOff}, p.Kind) {
		return ""
	}
	lo, _ := bounds(p)
	seenBefore := false
	for _, o := range m.obs {
		if o.Kind != p.Kind || o.Type == "" {
			continue
		}
		if o.At >= lo-Resolution {
			return ""
		}
		seenBefore = true
	}
	if !seenBefore {
		return ""
	}
	return " (the kubelet sends at most 25 events of one type about a pod, then one per 5 minutes, so it may have been dropped)"
}

// unexpected lists what happened without being predicted. Only restarts,
// kills, exits and deletions count: an extra probe failure or back-off event
// is no surprise worth failing a drill for.
func (m *matcher) unexpected() []Match {
	var out []Match
	for i, o := range m.obs {
		if m.used[i] || !slices.Contains([]timeline.Kind{timeline.Started, timeline.Killing, timeline.Terminated, timeline.PodDeleted}, o.Kind) {
			continue
		}
		l := label(o, 0)
		if m.manyPods() {
			l += " of pod " + o.Pod
		}
		out = append(out, Match{Status: Unexpected, Label: l, Observed: &o,
			Text: fmt.Sprintf("%s at %s was not predicted", l, timeline.Offset(o.At))})
	}
	return out
}

// manyPods reports whether the observed timeline follows more than one pod
// (a Deployment drill): then an unpredicted line names its pod.
func (m *matcher) manyPods() bool {
	for _, o := range m.obs {
		if o.Pod != m.obs[0].Pod {
			return true
		}
	}
	return false
}
