package verdict

import (
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/bilingual"
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
	f := expecting(say("restarts ≥ %d by %s", "到 %[2]s 时重启 ≥ %[1]d 次", r.Min, c.at(stated, within)))
	if r.Max != nil {
		f = expecting(say("restarts %d…%d by %s", "到 %[3]s 时重启 %[1]d…%[2]d 次", r.Min, *r.Max, c.at(stated, within)))
	}
	got := c.restartsBy(within)
	n := len(got)
	switch {
	case r.Max != nil && n > *r.Max:
		f.judge(Fail, say("%s by %s, more than %d (restart %d at %s)", "到 %[2]s 时%[1]s，超过 %[3]d 次（第 %[4]d 次重启在 %[5]s）",
			nRestarts(n), timeline.Offset(within), *r.Max, *r.Max+1, timeline.Offset(got[*r.Max].At)))
	case n >= r.Min && (r.Max == nil || c.obs.Elapsed >= within):
		f.judge(Pass, say("%s by %s", "到 %[2]s 时%[1]s", nRestarts(n), timeline.Offset(within)).Plus(lastAt(got)))
	case n >= r.Min:
		f.judge(c.undecided(), say("%s so far at %s; at most %d allowed until %s", "到 %[2]s 为止%[1]s；%[4]s 之前最多允许 %[3]d 次",
			nRestarts(n), timeline.Offset(c.obs.Elapsed), *r.Max, timeline.Offset(within)))
	default:
		f.judge(c.deadline(within), say("only %s by %s", "到 %[2]s 时只%[1]s", nRestarts(n), timeline.Offset(min(within, c.obs.Elapsed))).Plus(lastAt(got)))
	}
	return f
}

// nRestarts is "1 restart", "2 restarts".
func nRestarts(n int) phrase {
	if n == 1 {
		return say("1 restart", "重启了 1 次")
	}
	return say("%d restarts", "重启了 %d 次", n)
}

// lastAt is " (restart 3 at +1m20s)" after a count of restarts.
func lastAt(rs []timeline.Entry) phrase {
	if len(rs) == 0 {
		return phrase{}
	}
	last := rs[len(rs)-1]
	return say(" (restart %d at %s)", "（第 %d 次重启在 %s）", last.Instance, timeline.Offset(last.At))
}

// noRestartsFor: no kill, exit or restart for D, and the pod Running.
func (c checker) noRestartsFor() Finding {
	stated := c.s.Expect.NoRestartsFor.Duration
	d := c.by(stated, 0)
	f := expecting(say("no restarts for %s", "%s 内没有重启", stated))
	if d != stated {
		f = expecting(say("no restarts by %s", "到 %s 时没有重启", c.at(stated, d)))
	}
	if e, ok := c.firstDisruption(d); ok {
		f.judge(Fail, say("%s at %s, before %s", "%[1]s发生在 %[2]s，早于 %[3]s", labelIn(e, 0), timeline.Offset(e.At), timeline.Offset(d)))
		return f
	}
	if c.obs.Elapsed < d {
		f.judge(c.undecided(), say("no restart so far, %s of %s observed", "目前没有重启，已观察 %s（共 %s）", timeline.Offset(c.obs.Elapsed), d))
		return f
	}
	if p := c.obs.Pod; p != nil && p.Status.Phase != corev1.PodRunning {
		f.judge(Fail, say("no restart, but the pod is %s, not Running", "没有重启，但 Pod 处于 %s，而不是 Running", p.Status.Phase))
		return f
	}
	f.judge(Pass, say("0 restarts and no kill in %s", "%s 内重启 0 次，也没有容器被终止", d))
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
	f := expecting(say("CrashLoopBackOff seen", "出现 CrashLoopBackOff"))
	bs := c.entries(timeline.BackOff)
	if len(bs) == 0 {
		f.judge(c.undecided(), say("never seen in CrashLoopBackOff (%s by %s)", "未出现 CrashLoopBackOff（到 %[2]s 时%[1]s）",
			nRestarts(len(c.restartsBy(c.obs.Elapsed))), timeline.Offset(c.obs.Elapsed)))
		return f
	}
	b := bs[0]
	for _, e := range bs {
		if e.Type == "" { // the waiting state itself
			b = e
			break
		}
	}
	f.judge(Pass, say("at %s: %s", "%s 时显示 %s", timeline.Offset(b.At), b.Message))
	return f
}

// backOffSchedule: every predicted restart due so far came inside its window.
func (c checker) backOffSchedule() Finding {
	f := expecting(say("restarts follow the predicted back-off schedule", "重启时间符合预测的 back-off（回退）时间表"))
	pred := restartsOnly(c.obs.Predicted)
	if len(pred.Entries) == 0 {
		f.judge(Fail, say("no predicted restarts to compare with (Observation.Predicted is empty)", "没有可比较的预测重启（Observation.Predicted 为空）"))
		return f
	}
	r := Compare(pred, restartsOnly(c.obs.Timeline), Until(c.obs.Elapsed))
	var bad, due []phrase
	for _, m := range r.Lines {
		switch {
		case !m.Decided():
			due = append(due, labelIn(*m.Predicted, 0))
		case !m.OK():
			bad = append(bad, restartLine(m))
		}
	}
	switch {
	case len(bad) > 0:
		f.judge(Fail, bilingual.Join(bad, "; ", "；"))
	case len(due) > 0:
		f.judge(c.undecided(), say("%s in their windows so far; %s not due yet", "目前%[1]s，都在预测窗口内；%[2]s还没到时间",
			nRestarts(r.Matched-len(due)), bilingual.Join(due, ", ", "、")))
	default:
		f.judge(Pass, say("all %d restarts inside their predicted windows", "%d 次重启全部在预测的时间窗口内", r.Matched))
	}
	return f
}

// restartLine is a comparison line of the back-off schedule that is not as
// predicted: Compare's text, and the same said in Chinese.
func restartLine(m Match) phrase {
	p := phrase{EN: m.Text, ZH: m.Text}
	switch {
	case m.Observed == nil:
		p.ZH = fmt.Sprintf("预测在 %s 的%s未观察到", window(*m.Predicted), labelIn(*m.Predicted, 0).ZH)
	case m.Predicted == nil:
		p.ZH = fmt.Sprintf("%s发生在 %s，不在预测中", labelIn(*m.Observed, 0).ZH, timeline.Offset(m.Observed.At))
	case m.Status == Early || m.Status == Late:
		gap := map[Status]string{Early: "早了", Late: "晚了"}[m.Status]
		p.ZH = fmt.Sprintf("%s发生在 %s，预测为 %s（%s %s）", labelIn(*m.Predicted, 0).ZH, timeline.Offset(m.Observed.At),
			window(*m.Predicted), gap, seconds(m.Off))
	}
	return p
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
