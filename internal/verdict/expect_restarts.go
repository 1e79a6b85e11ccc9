package verdict

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
)

// restarts: the count reaches Min by Within and is at most Max at Within.
func (c checker) restarts() Finding {
	r := c.s.Expect.Restarts
	var stated time.Duration
	if r.Within != nil {
		stated = r.Within.Duration
	}
	// The min-th restart follows the start of instance min−1.
	within := c.by(stated, r.Min-1)
	f := Finding{Expect: fmt.Sprintf("restarts ≥ %d by %s", r.Min, c.at(stated, within))}
	if r.Max != nil {
		f.Expect = fmt.Sprintf("restarts %d…%d by %s", r.Min, *r.Max, c.at(stated, within))
	}
	got := c.restartsBy(within)
	n := len(got)
	switch {
	case r.Max != nil && n > *r.Max:
		f.Outcome, f.Why = Fail, fmt.Sprintf("%s by %s, more than %d (restart %d at %s)",
			nRestarts(n), timeline.Offset(within), *r.Max, *r.Max+1, timeline.Offset(got[*r.Max].At))
	case n >= r.Min && (r.Max == nil || c.obs.Elapsed >= within):
		f.Outcome, f.Why = Pass, fmt.Sprintf("%s by %s%s", nRestarts(n), timeline.Offset(within), lastAt(got))
	case n >= r.Min:
		f.Outcome, f.Why = c.undecided(), fmt.Sprintf("%s so far at %s; at most %d allowed until %s",
			nRestarts(n), timeline.Offset(c.obs.Elapsed), *r.Max, timeline.Offset(within))
	default:
		f.Outcome = c.deadline(within)
		f.Why = fmt.Sprintf("only %s by %s%s", nRestarts(n), timeline.Offset(min(within, c.obs.Elapsed)), lastAt(got))
	}
	return f
}

// nRestarts is "1 restart", "2 restarts".
func nRestarts(n int) string {
	if n == 1 {
		return "1 restart"
	}
	return fmt.Sprintf("%d restarts", n)
}

func lastAt(rs []timeline.Entry) string {
	if len(rs) == 0 {
		return ""
	}
	return fmt.Sprintf(" (restart %d at %s)", rs[len(rs)-1].Instance, timeline.Offset(rs[len(rs)-1].At))
}

// noRestartsFor: no kill, exit or restart for D, and the pod Running.
func (c checker) noRestartsFor() Finding {
	stated := c.s.Expect.NoRestartsFor.Duration
	d := c.by(stated, 0)
	f := Finding{Expect: fmt.Sprintf("no restarts for %s", stated)}
	if d != stated {
		f.Expect = fmt.Sprintf("no restarts by %s", c.at(stated, d))
	}
	if e, ok := c.firstDisruption(d); ok {
		f.Outcome, f.Why = Fail, fmt.Sprintf("%s at %s, before %s", label(e, 0), timeline.Offset(e.At), timeline.Offset(d))
		return f
	}
	if c.obs.Elapsed < d {
		f.Outcome, f.Why = c.undecided(), fmt.Sprintf("no restart so far, %s of %s observed", timeline.Offset(c.obs.Elapsed), d)
		return f
	}
	if p := c.obs.Pod; p != nil && p.Status.Phase != corev1.PodRunning {
		f.Outcome, f.Why = Fail, fmt.Sprintf("no restart, but the pod is %s, not Running", p.Status.Phase)
		return f
	}
	f.Outcome, f.Why = Pass, fmt.Sprintf("0 restarts and no kill in %s", d)
	return f
}

// firstDisruption is the first kill, exit or restart at or before d.
func (c checker) firstDisruption(d time.Duration) (timeline.Entry, bool) {
	var all []timeline.Entry
	all = append(all, c.entries(timeline.Killing)...)
	all = append(all, c.entries(timeline.Terminated)...)
	all = append(all, c.restartsBy(d)...)
	slices.SortStableFunc(all, func(a, b timeline.Entry) int { return int(a.At - b.At) })
	if len(all) == 0 || all[0].At > d {
		return timeline.Entry{}, false
	}
	return all[0], true
}

// crashLoopBackOff: the container was seen waiting in CrashLoopBackOff (or
// the kubelet's BackOff event, which it records in the same step,
// pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff).
func (c checker) crashLoopBackOff() Finding {
	f := Finding{Expect: "CrashLoopBackOff seen"}
	bs := c.entries(timeline.BackOff)
	if len(bs) == 0 {
		f.Outcome = c.undecided()
		f.Why = fmt.Sprintf("never seen in CrashLoopBackOff (%s by %s)", nRestarts(len(c.restartsBy(c.obs.Elapsed))), timeline.Offset(c.obs.Elapsed))
		return f
	}
	b := bs[0]
	for _, e := range bs {
		if e.Type == "" { // the waiting state itself
			b = e
			break
		}
	}
	f.Outcome, f.Why = Pass, fmt.Sprintf("at %s: %s", timeline.Offset(b.At), b.Message)
	return f
}

// backOffSchedule: every predicted restart due so far came inside its window.
func (c checker) backOffSchedule() Finding {
	f := Finding{Expect: "restarts follow the predicted back-off schedule"}
	pred := restartsOnly(c.obs.Predicted)
	if len(pred.Entries) == 0 {
		f.Outcome, f.Why = Fail, "no predicted restarts to compare with (Observation.Predicted is empty)"
		return f
	}
	r := Compare(pred, restartsOnly(c.obs.Timeline), Until(c.obs.Elapsed))
	var bad, due []string
	for _, m := range r.Lines {
		switch {
		case !m.Decided():
			due = append(due, m.Label)
		case !m.OK():
			bad = append(bad, m.Text)
		}
	}
	switch {
	case len(bad) > 0:
		f.Outcome, f.Why = Fail, strings.Join(bad, "; ")
	case len(due) > 0:
		f.Outcome, f.Why = c.undecided(), fmt.Sprintf("%s in their windows so far; %s not due yet", nRestarts(r.Matched-len(due)), strings.Join(due, ", "))
	default:
		f.Outcome, f.Why = Pass, fmt.Sprintf("all %d restarts inside their predicted windows", r.Matched)
	}
	return f
}

// restartsOnly keeps the starts of instance ≥ 1: the back-off schedule.
func restartsOnly(t timeline.Timeline) timeline.Timeline {
	out := timeline.Timeline{Start: t.Start}
	for _, e := range t.Of(timeline.Started) {
		if e.Instance > 0 {
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}
