package drill

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
)

// conditioned is what the drill is judged against, given what it has seen.
type conditioned struct {
	// full is the prediction conditioned on what was seen so far
	// (predict.WithObserved); timeline is full cut at deadline.
	full, timeline timeline.Timeline
	// deadline is how long the drill must watch, as far as it can tell now.
	deadline time.Duration
	// late[n] is how much later than the plan's usual latencies container
	// instance n started (verdict.Observation.Late).
	late []time.Duration
}

// judged caches the conditioned prediction: it changes only when a
// container start or exit is seen, and a drill is checked every second.
type judged struct {
	mu  sync.Mutex
	key string
	c   conditioned
}

// condition returns what the drill is judged against given observed.
//
// Each predicted entry's window is the model's one step ahead of what was
// seen: a start from the exit or back-off before it, an exit from its kill,
// a probe failure from its container's start. So a node that is slow to
// start a container shifts what follows instead of failing it, while the
// kubelet's rules (probe schedule, thresholds, grace period, back-off) are
// judged as strictly as before. The scenario's durations and the deadline
// move with how late the containers started. If the conditioned prediction
// fails, the plan's stands.
func (d *Drill) condition(observed timeline.Timeline) conditioned {
	key := pinKey(observed)
	d.judged.mu.Lock()
	defer d.judged.mu.Unlock()
	if key != "" && key == d.judged.key {
		return d.judged.c
	}
	p := d.Prediction
	if key != "" {
		again, err := predict.Predict(d.Scenario, d.opts.Kubelet, predict.WithLang(d.opts.Lang), predict.WithObserved(observed))
		if err == nil {
			p = again
		}
	}
	late := lateness(d.Prediction.Timeline, observed)
	dl := min(deadline(d.Scenario, p, observed, late), d.Deadline)
	d.judged.key, d.judged.c = key, conditioned{full: p.Timeline, timeline: cut(p.Timeline, dl), deadline: dl, late: late}
	return d.judged.c
}

// Expected is the timeline the drill is judged against, given what it has
// observed (see condition); before anything is observed, Predicted().
func (d *Drill) Expected(observed timeline.Timeline) timeline.Timeline {
	return d.condition(observed).timeline
}

// lateness is, for each container instance of the first pod seen started,
// how much later than planned (the nominal run) it started; 0 if not later.
func lateness(plan, observed timeline.Timeline) []time.Duration {
	planned := map[int]time.Duration{}
	for _, e := range plan.Of(timeline.Started) {
		planned[e.Instance] = e.At
	}
	var late []time.Duration
	pod := ""
	for _, e := range observed.Of(timeline.Started) {
		if len(late) == 0 && e.Instance == 0 {
			pod = e.Pod
		}
		if e.Pod != pod || e.Instance != len(late) {
			continue
		}
		at, ok := planned[e.Instance]
		if !ok {
			break
		}
		late = append(late, max(e.At-at, 0))
	}
	return late
}

// pinKey names what the conditioned prediction depends on: the starts,
// exits and probe failures seen (predict.WithObserved).
func pinKey(t timeline.Timeline) string {
	var b strings.Builder
	for _, e := range t.Entries {
		if e.Kind == timeline.Started || e.Kind == timeline.Terminated || e.Kind == timeline.ProbeFailed {
			fmt.Fprintf(&b, "%s/%s/%s/%d/%d;", e.Pod, e.Container, e.Kind, e.Instance, e.At)
		}
	}
	return b.String()
}
