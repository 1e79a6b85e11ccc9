package verdict

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// lastTermination: the newest exit has the expected reason and exit code.
// Reason and code come from the runtime via lastState.terminated; nothing
// there says "killed by a probe" (see KUBELET-FACTS.md).
func (c checker) lastTermination() Finding {
	want := c.s.Expect.LastTermination
	wantEntry := timeline.Entry{ExitCode: &want.ExitCode, Reason: want.Reason}
	f := Finding{Expect: "last termination " + exitWords(wantEntry)}
	ts := c.entries(timeline.Terminated)
	if len(ts) == 0 {
		f.Outcome, f.Why = c.undecided(), "no container has terminated yet"
		return f
	}
	last := ts[len(ts)-1]
	f.Outcome = Fail
	f.Why = fmt.Sprintf("instance #%d exited %s at %s", last.Instance, exitWords(last), timeline.Offset(last.At))
	switch {
	case want.Reason == last.Reason && sameExit(wantEntry, last):
		f.Outcome = Pass
	case oomAsError(wantEntry, last) && slices.ContainsFunc(ts, func(e timeline.Entry) bool { return e.Reason == want.Reason }):
		// containerd missed this OOM kill (see oomAsError), not an earlier one.
		f.Outcome = Pass
		f.Why += "; containerd reported this OOM kill as Error, an earlier one as OOMKilled"
	}
	return f
}

// newContainerIDs: every instance ran in a container of its own.
func (c checker) newContainerIDs() Finding {
	f := Finding{Expect: "a new container ID on every restart"}
	starts := c.entries(timeline.Started)
	if len(c.restartsBy(c.obs.Elapsed)) == 0 {
		f.Outcome, f.Why = c.undecided(), "no restart yet"
		return f
	}
	seen := map[string]timeline.Entry{}
	for _, e := range starts {
		if prev, dup := seen[e.ContainerID]; dup || e.ContainerID == "" {
			f.Outcome = Fail
			f.Why = fmt.Sprintf("%s reused container ID %q of instance #%d", label(e, 0), e.ContainerID, prev.Instance)
			return f
		}
		seen[e.ContainerID] = e
	}
	f.Outcome, f.Why = Pass, fmt.Sprintf("%d instances, %d distinct container IDs", len(starts), len(seen))
	return f
}

// previousLogs: `logs --previous` (the last dead instance) contains want.
func (c checker) previousLogs(want string) Finding {
	f := Finding{Expect: fmt.Sprintf("logs --previous contain %q", want)}
	logs := c.obs.PreviousLogs
	switch {
	case strings.Contains(logs, want):
		f.Outcome, f.Why = Pass, "found"
	case logs == "":
		f.Outcome, f.Why = c.undecided(), "no previous logs (no restart yet, or not fetched)"
	default:
		f.Outcome, f.Why = Fail, fmt.Sprintf("not found; the log ends with %q", lastLine(logs))
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
	f := Finding{Expect: fmt.Sprintf("NotReady by %s without a restart", c.at(stated, d))}
	if e, ok := c.firstDisruption(d); ok {
		f.Outcome, f.Why = Fail, fmt.Sprintf("%s at %s: failing readiness must not restart the container", label(e, 0), timeline.Offset(e.At))
		return f
	}
	nr := c.entries(timeline.NotReady)
	switch {
	case len(nr) > 0 && nr[0].At <= d:
		f.Outcome, f.Why = Pass, fmt.Sprintf("NotReady at %s, no restart", timeline.Offset(nr[0].At))
	case len(nr) > 0:
		f.Outcome, f.Why = Fail, fmt.Sprintf("NotReady only at %s", timeline.Offset(nr[0].At))
	case c.obs.Elapsed >= d && len(c.entries(timeline.Ready)) == 0 && !podReady(c.obs.Pod):
		f.Outcome, f.Why = Pass, "never became Ready, no restart"
	default:
		f.Outcome = c.deadline(d)
		f.Why = fmt.Sprintf("still Ready at %s", timeline.Offset(min(d, c.obs.Elapsed)))
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
	f := Finding{Expect: "on node failure the pod is " + want}
	first, others := c.podsStarted()
	gone := c.podGone(first)
	switch {
	case want == scenarios.NodeFailureRecreated && len(others) > 0:
		f.Outcome, f.Why = Pass, fmt.Sprintf("pod %s replaced by %s, started at %s", first, others[0].Pod, timeline.Offset(others[0].At))
	case want == scenarios.NodeFailureLost && len(others) > 0:
		f.Outcome, f.Why = Fail, fmt.Sprintf("pod %s was replaced by %s: a bare pod has no controller to do that", first, others[0].Pod)
	case want == scenarios.NodeFailureLost && gone != nil:
		f.Outcome, f.Why = Pass, fmt.Sprintf("pod %s %s at %s and nothing replaced it", first, gone.Kind, timeline.Offset(gone.At))
	default:
		f.Outcome, f.Why = c.undecided(), fmt.Sprintf("pod %s still in place, no replacement", first)
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
