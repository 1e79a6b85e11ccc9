package verdict

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// lastTermination: the newest exit has the expected reason and exit code.
// Reason and code come from the runtime via lastState.terminated; nothing
// there says "killed by a probe" (see docs/kubelet-facts.md).
func (c checker) lastTermination() Finding {
	want := c.s.Expect.LastTermination
	wantEntry := timeline.Entry{ExitCode: &want.ExitCode, Reason: want.Reason}
	f := expecting(say("last termination %s", "最近一次终止的退出码为 %s", exitIn(wantEntry)))
	ts := c.entries(timeline.Terminated)
	if len(ts) == 0 {
		f.judge(c.undecided(), say("no container has terminated yet", "还没有容器终止"))
		return f
	}
	last := ts[len(ts)-1]
	exited := say("instance #%d exited %s at %s", "实例 #%[1]d 在 %[3]s 退出，退出码 %[2]s", last.Instance, exitIn(last), timeline.Offset(last.At))
	switch {
	case want.Reason == last.Reason && sameExit(wantEntry, last):
		f.judge(Pass, exited)
	case oomAsError(wantEntry, last) && slices.ContainsFunc(ts, func(e timeline.Entry) bool { return e.Reason == want.Reason }):
		// containerd missed this OOM kill (see oomAsError), not an earlier one.
		f.judge(Pass, exited.Plus(say("; containerd reported this OOM kill as Error, an earlier one as OOMKilled",
			"；containerd 把这次 OOM 终止报告为 Error，之前的一次报告为 OOMKilled")))
	default:
		f.judge(Fail, exited)
	}
	return f
}

// newContainerIDs: every instance ran in a container of its own.
func (c checker) newContainerIDs() Finding {
	f := expecting(say("a new container ID on every restart", "每次重启都换了新的容器 ID"))
	starts := c.entries(timeline.Started)
	if len(c.restartsBy(c.obs.Elapsed)) == 0 {
		f.judge(c.undecided(), say("no restart yet", "还没有重启"))
		return f
	}
	seen := map[string]timeline.Entry{}
	for _, e := range starts {
		if prev, dup := seen[e.ContainerID]; dup || e.ContainerID == "" {
			f.judge(Fail, say("%s reused container ID %q of instance #%d", "%[1]s重用了实例 #%[3]d 的容器 ID %[2]q", labelIn(e, 0), e.ContainerID, prev.Instance))
			return f
		}
		seen[e.ContainerID] = e
	}
	f.judge(Pass, say("%d instances, %d distinct container IDs", "%d 个实例，%d 个不同的容器 ID", len(starts), len(seen)))
	return f
}

// previousLogs: `logs --previous` (the last dead instance) contains want.
func (c checker) previousLogs(want string) Finding {
	f := expecting(say("logs --previous contain %q", "logs --previous 包含 %q", want))
	logs := c.obs.PreviousLogs
	switch {
	case strings.Contains(logs, want):
		f.judge(Pass, say("found", "找到了"))
	case logs == "":
		f.judge(c.undecided(), say("no previous logs (no restart yet, or not fetched)", "没有前一个容器的日志（还没有重启，或没有获取）"))
	default:
		f.judge(Fail, say("not found; the log ends with %q", "没有找到；日志的最后一行是 %q", lastLine(logs)))
	}
	return f
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// notReadyWithin: readiness fails by D and nothing is restarted. A pod that
// never became Ready counts as NotReady from the start.
func (c checker) notReadyWithin() Finding {
	stated := c.s.Expect.NotReadyWithin.Duration
	d := c.by(stated, 0)
	f := expecting(say("NotReady by %s without a restart", "到 %s 时变为 NotReady（未就绪），且没有重启", c.at(stated, d)))
	if e, ok := c.firstDisruption(d); ok {
		f.judge(Fail, say("%s at %s: failing readiness must not restart the container", "%[1]s发生在 %[2]s：就绪探针失败不应重启容器",
			labelIn(e, 0), timeline.Offset(e.At)))
		return f
	}
	nr := c.entries(timeline.NotReady)
	switch {
	case len(nr) > 0 && nr[0].At <= d:
		f.judge(Pass, say("NotReady at %s, no restart", "在 %s 变为 NotReady，没有重启", timeline.Offset(nr[0].At)))
	case len(nr) > 0:
		f.judge(Fail, say("NotReady only at %s", "直到 %s 才变为 NotReady", timeline.Offset(nr[0].At)))
	case c.obs.Elapsed >= d && len(c.entries(timeline.Ready)) == 0 && !podReady(c.obs.Pod):
		f.judge(Pass, say("never became Ready, no restart", "从未就绪（Ready），没有重启"))
	default:
		f.judge(c.deadline(d), say("still Ready at %s", "在 %s 时仍然就绪（Ready）", timeline.Offset(min(d, c.obs.Elapsed))))
	}
	return f
}

func podReady(p *corev1.Pod) bool {
	if p == nil {
		return false
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// nodeFailure: after its node goes away a bare Pod is lost (deleted or left
// NotReady, never replaced) while a Deployment's pod is recreated as a new
// pod (the ReplicaSet replaces a pod once it is terminating).
func (c checker) nodeFailure() Finding {
	want := c.s.Expect.NodeFailure
	fate := map[string]phrase{
		scenarios.NodeFailureLost:      say("lost", "丢失，不会被替换"),
		scenarios.NodeFailureRecreated: say("recreated", "在另一个节点上被重新创建"),
	}[want]
	f := expecting(say("on node failure the pod is %s", "节点故障时 Pod %s", fate))
	first, others := c.podsStarted()
	gone := c.podGone(first)
	switch {
	case want == scenarios.NodeFailureRecreated && len(others) > 0:
		f.judge(Pass, say("pod %s replaced by %s, started at %s", "Pod %[1]s 被 %[2]s 取代，后者在 %[3]s 启动",
			first, others[0].Pod, timeline.Offset(others[0].At)))
	case want == scenarios.NodeFailureLost && len(others) > 0:
		f.judge(Fail, say("pod %s was replaced by %s: a bare pod has no controller to do that", "Pod %[1]s 被 %[2]s 取代：裸 Pod 没有控制器来做这件事",
			first, others[0].Pod))
	case want == scenarios.NodeFailureLost && gone != nil:
		what := map[timeline.Kind]phrase{timeline.PodDeleted: say("deleted", "被删除"), timeline.NotReady: say("NotReady", "变为 NotReady")}[gone.Kind]
		f.judge(Pass, say("pod %s %s at %s and nothing replaced it", "Pod %[1]s 在 %[3]s %[2]s，没有任何 Pod 取代它", first, what, timeline.Offset(gone.At)))
	default:
		f.judge(c.undecided(), say("pod %s still in place, no replacement", "Pod %s 仍在原处，没有替代它的 Pod", first))
	}
	return f
}

// podsStarted names the first pod and returns the first start of every other.
func (c checker) podsStarted() (first string, others []timeline.Entry) {
	for _, e := range c.obs.Timeline.Of(timeline.Started) {
		switch {
		case first == "":
			first = e.Pod
		case e.Pod != first && e.Instance == 0:
			others = append(others, e)
		}
	}
	return first, others
}

// podGone is the first PodDeleted or NotReady entry of a pod.
func (c checker) podGone(pod string) *timeline.Entry {
	for _, e := range c.obs.Timeline.Entries {
		if e.Pod == pod && (e.Kind == timeline.PodDeleted || e.Kind == timeline.NotReady) {
			return &e
		}
	}
	return nil
}
