package verdict

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Observation is what was seen of a drill, gathered from an observer
// (internal/observe) and `logs --previous`.
type Observation struct {
	// Timeline is the observed timeline.
	Timeline timeline.Timeline
	// Events are the raw events about the drill's pods (latest versions).
	Events []corev1.Event
	// Pod is the latest version of the (newest) pod, nil if none was seen.
	Pod *corev1.Pod
	// PreviousLogs is what `logs --previous` returned ("" when not fetched).
	PreviousLogs string
	// Elapsed is how long after pod creation the observation was taken.
	Elapsed time.Duration
	// Final says observation has ended: what is still pending fails.
	Final bool
	// Predicted is the predictor's timeline, needed for BackOffSchedule.
	Predicted timeline.Timeline
	// Late[n] is how much later than the prediction's usual latencies
	// container instance n started (0 if not later), for each instance
	// started so far. See checker.by.
	Late []time.Duration
}

// Outcome is a finding's state. Pending lets a suite poll Check inside
// Eventually until nothing is pending.
type Outcome string

const (
	Pass    Outcome = "pass"
	Fail    Outcome = "fail"
	Pending Outcome = "pending"
)

// Finding is the verdict on one expectation.
type Finding struct {
	// Expect states the expectation, e.g. "restarts ≥ 3 by +5m0s".
	Expect  string  `json:"expect"`
	Outcome Outcome `json:"outcome"`
	// Why says what was seen, in one sentence.
	Why string `json:"why"`
	// ExpectZH and WhyZH say the same in Chinese (see Chinese).
	ExpectZH string `json:"expectZH,omitempty"`
	WhyZH    string `json:"whyZH,omitempty"`
}

// expecting starts the finding on an expectation.
func expecting(expect phrase) Finding { return Finding{Expect: expect.EN, ExpectZH: expect.ZH} }

// judge sets the outcome and says why.
func (f *Finding) judge(o Outcome, why phrase) { f.Outcome, f.Why, f.WhyZH = o, why.EN, why.ZH }

// Chinese returns the finding with Expect and Why in Chinese, for a demo
// under --lang zh (English where no Chinese was given).
func (f Finding) Chinese() Finding {
	if f.ExpectZH != "" {
		f.Expect = f.ExpectZH
	}
	if f.WhyZH != "" {
		f.Why = f.WhyZH
	}
	return f
}

// OK reports whether the expectation is met.
func (f Finding) OK() bool { return f.Outcome == Pass }

// String renders "PASS restarts ≥ 3 by +5m0s: 4 restarts by +5m0s".
func (f Finding) String() string {
	word := map[Outcome]string{Pass: "PASS", Fail: "FAIL", Pending: "WAIT"}[f.Outcome]
	return fmt.Sprintf("%s %s: %s", word, f.Expect, f.Why)
}

// AllPassed reports whether every finding passed.
func AllPassed(fs []Finding) bool {
	for _, f := range fs {
		if !f.OK() {
			return false
		}
	}
	return true
}

// Unsettled returns the findings that are not (yet) passing.
func Unsettled(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if !f.OK() {
			out = append(out, f)
		}
	}
	return out
}

// Check evaluates each of the scenario's expectations against obs, in the
// order Expect declares them.
func Check(s *scenarios.Scenario, obs Observation) []Finding {
	c := checker{s: s, obs: obs, container: containerName(s, obs.Pod)}
	e := s.Expect
	var fs []Finding
	add := func(ok bool, f func() Finding) {
		if ok {
			fs = append(fs, f())
		}
	}
	add(e.Restarts != nil, c.restarts)
	add(e.NoRestartsFor != nil, c.noRestartsFor)
	add(e.CrashLoopBackOff, c.crashLoopBackOff)
	add(e.BackOffSchedule, c.backOffSchedule)
	add(e.LastTermination != nil, c.lastTermination)
	for _, ev := range e.Events {
		fs = append(fs, c.event(ev))
	}
	add(e.NewContainerIDs, c.newContainerIDs)
	for _, want := range e.PreviousLogs {
		fs = append(fs, c.previousLogs(want))
	}
	add(e.NotReadyWithin != nil, c.notReadyWithin)
	add(e.NodeFailure != "", c.nodeFailure)
	return fs
}

// containerName is the container the expectations are about: the
// scenario's (defaulted by the loader to "faultyapp"), else the pod's first.
func containerName(s *scenarios.Scenario, p *corev1.Pod) string {
	switch {
	case s.Pod.ContainerName != "":
		return s.Pod.ContainerName
	case p != nil && len(p.Spec.Containers) > 0:
		return p.Spec.Containers[0].Name
	}
	return scenarios.DefaultContainerName
}

// checker holds what every expectation needs.
type checker struct {
	s         *scenarios.Scenario
	obs       Observation
	container string
}

// entries returns the observed entries of one kind for the container (or
// pod-level ones).
func (c checker) entries(k timeline.Kind) []timeline.Entry {
	var out []timeline.Entry
	for _, e := range c.obs.Timeline.Of(k) {
		if e.Container == "" || e.Container == c.container {
			out = append(out, e)
		}
	}
	return out
}

// restartsBy returns the restarts (starts of instance ≥ 1) at or before t.
func (c checker) restartsBy(t time.Duration) []timeline.Entry {
	var out []timeline.Entry
	for _, e := range c.entries(timeline.Started) {
		if e.Instance > 0 && e.At <= t {
			out = append(out, e)
		}
	}
	return out
}

// undecided is the outcome of an expectation that is not met yet: pending
// while the drill runs, failed once it is over.
func (c checker) undecided() Outcome {
	if c.obs.Final {
		return Fail
	}
	return Pending
}

// by is when an expectation stated as "by d, counting from pod creation"
// falls on this drill, when it waits for something container instance inst
// (or a later one) does. A scenario's durations assume the kubelet's usual
// latencies (predict.DefaultKubelet's nominal values); a busy node that
// started instance inst later — scheduling, sandbox, a slow restart — moves
// them by that much. What the kubelet does after that start is judged
// against the scenario's own margin, and step by step by the comparison
// with the prediction.
func (c checker) by(d time.Duration, inst int) time.Duration {
	late := c.obs.Late
	if len(late) == 0 || inst < 0 {
		return d
	}
	return d + late[min(inst, len(late)-1)]
}

// at renders a moved deadline: "+1m30s", or "+1m42s (+1m30s; it started
// 12 s late)".
func (c checker) at(d, moved time.Duration) phrase {
	if moved == d {
		return say("%s", "%s", timeline.Offset(d))
	}
	return say("%s (%s; it started %s late)", "%s（%s；容器晚启动了 %s）", timeline.Offset(moved), timeline.Offset(d), seconds(moved-d))
}

// deadline turns an unmet expectation with a deadline into pending or fail.
func (c checker) deadline(d time.Duration) Outcome {
	if c.obs.Elapsed >= d {
		return Fail
	}
	return c.undecided()
}
