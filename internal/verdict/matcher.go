package verdict

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// matcher hands out observed entries to predicted ones, each at most once.
type matcher struct {
	obs   []timeline.Entry
	used  []bool
	until time.Duration
	// skips is how many predicted entries of each group (skipKey) may
	// not happen: the optional ones (timeline.Entry.Optional). A series
	// that started a tick later lacks its first failure, not its last, so
	// any of the series may be the one skipped.
	skips map[string]int
}

func newMatcher(predicted, observed timeline.Timeline, until time.Duration) *matcher {
	var obs []timeline.Entry
	for _, e := range observed.Entries {
		if e.At <= until {
			obs = append(obs, e)
		}
	}
	skips := map[string]int{}
	for _, p := range predicted.Entries {
		if p.Optional {
			skips[skipKey(p)]++
		}
	}
	return &matcher{obs: obs, used: make([]bool, len(obs)), until: until, skips: skips}
}

// skipKey groups the optional entries that may stand for one another: the
// probe failures of one probe type, or the hold-backs a kill that found
// the exited container deleted skips (predict's removals).
func skipKey(p timeline.Entry) string {
	if p.Kind == timeline.ProbeFailed {
		return probeType(p.Message)
	}
	return string(p.Kind)
}

// skip spends one of p's group's skips, if any are left.
func (m *matcher) skip(p timeline.Entry) bool {
	t := skipKey(p)
	if m.skips[t] == 0 {
		return false
	}
	m.skips[t]--
	return true
}

func skipped(p timeline.Entry, nth int) Match {
	return Match{Status: Skipped, Label: label(p, nth), Predicted: &p,
		Text: fmt.Sprintf("%s predicted at %s as possible did not happen", label(p, nth), window(p))}
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
	i, found := -1, len(c) > 0
	if found {
		i, found = m.nearest(p, c)
	}
	if _, hi := bounds(p); !found && hi+Resolution+Settle >= m.until {
		return Match{Status: Open, Label: label(p, nth), Predicted: &p,
			Text: fmt.Sprintf("%s predicted at %s is not seen yet", label(p, nth), window(p))}
	}
	if !found && p.Optional && m.skip(p) {
		return skipped(p, nth)
	}
	if why := m.unrecorded(p); !found && why != "" {
		return Match{Status: Unrecorded, Label: label(p, nth), Predicted: &p,
			Text: fmt.Sprintf("predicted %s at %s happened unseen: %s", label(p, nth), window(p), why)}
	}
	if !found {
		return Match{Status: Missing, Label: label(p, nth), Predicted: &p,
			Text: fmt.Sprintf("predicted %s at %s was not observed%s", label(p, nth), window(p), m.dropHint(p))}
	}
	l := judge(p, m.obs[i], nth)
	if l.Status == Late && p.Kind == timeline.ProbeFailed && m.skip(p) {
		return skipped(p, nth) // the observation may be the next failure's
	}
	m.used[i] = true
	return l
}

// stray is how far from a predicted probe failure's window an observed one
// can be and still be its counterpart.
const stray = 10 * time.Second

// nearest picks, for a probe failure, the candidate closest to its window
// (the earliest among equals), if one is within stray; other kinds take the
// first. The kubelet numbers no probe, and a busy node adds failures the
// model cannot know of: a healthy app that misses the timeout once, a
// request that times out where a 500 was due. Matched by order, one extra
// would shift every later match by a period; matched by time, it is left
// over (extra probe failures are no mismatch).
func (m *matcher) nearest(p timeline.Entry, c []int) (int, bool) {
	if p.Kind != timeline.ProbeFailed {
		return c[0], true
	}
	lo, hi := bounds(p)
	best, dist := c[0], time.Duration(1<<63-1)
	for _, i := range c {
		at := m.obs[i].At
		d := max(lo-Resolution-at, at-hi-Resolution, 0)
		if d < dist {
			best, dist = i, d
		}
	}
	return best, dist <= stray
}

// spamBurst is how many events of one type about one pod the kubelet's
// recorder lets through before it sends one per 5 minutes
// (client-go tools/record/events_cache.go defaultSpamBurst, keyed by source,
// object and event type, not by reason).
const spamBurst = 25

// eventType is the type of the event an entry of kind k is read from, or
// "" for entries read from the pod status.
func eventType(k timeline.Kind) string {
	switch k {
	case timeline.ProbeFailed:
		return "Warning"
	case timeline.Killing:
		return "Normal"
	}
	return ""
}

// unrecorded says why an unseen predicted entry cannot have been seen
// although it happened, or "" if it could have been. An event is not sent
// once the kubelet's spam filter has let through all it allows
// (budgetSpent). An exit is not shown when the kubelet's status skips it:
// when a container is restarted while the runtime reports the dead one in
// an unknown state (a busy node, mid-cleanup), the status shows the new
// instance with no last state, and the dead one is garbage-collected before
// it is ever shown (kubelet_pods.go convertToAPIContainerStatuses keeps the
// second-newest container as lastState; measured: restartCount 1 running
// with no lastState, then restartCount 2 with instance 1 as lastState).
func (m *matcher) unrecorded(p timeline.Entry) string {
	switch {
	case m.budgetSpent(p):
		return fmt.Sprintf("the kubelet had already sent %d %s events about the pod, all its spam filter lets through (client-go tools/record/events_cache.go)",
			spamBurst, strings.ToLower(eventType(p.Kind)))
	case p.Kind == timeline.Terminated && m.startedAfter(p.Instance):
		return fmt.Sprintf("instance #%d was restarted, but the pod status never showed it terminated", p.Instance)
	}
	return ""
}

// startedAfter reports whether the instance after inst was seen running.
func (m *matcher) startedAfter(inst int) bool {
	return slices.ContainsFunc(m.obs, func(o timeline.Entry) bool {
		return o.Kind == timeline.Started && o.Instance == inst+1
	})
}

// budgetSpent reports whether the kubelet had already sent spamBurst events
// of p's type about the pod by the end of p's window: then p was dropped
// whatever the model said (it may have counted a warning less, such as a
// probe that a busy node made fail once). Normal events include Pulled,
// Created and Started for every container start (kuberuntime_container.go
// startContainer), which the timeline does not keep.
func (m *matcher) budgetSpent(p timeline.Entry) bool {
	typ := eventType(p.Kind)
	if typ == "" {
		return false
	}
	_, hi := bounds(p)
	used := 0
	for _, o := range m.obs {
		switch {
		case o.At > hi+Resolution:
		case o.Type == typ:
			used++
		case typ == "Normal" && o.Kind == timeline.Started:
			used += 3
		}
	}
	return used >= spamBurst
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
