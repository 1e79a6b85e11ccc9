package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func (s *Scenario) validateExpect(ps *Problems) {
	e := s.Expect
	if e.empty() {
		ps.Add("expect", "add at least one, e.g. restarts or noRestartsFor", "nothing to assert")
		return
	}
	nonNegative(ps, "expect.noRestartsFor", e.NoRestartsFor)
	nonNegative(ps, "expect.notReadyWithin", e.NotReadyWithin)
	s.validateRestarts(ps)
	s.validateNeedsRestarts(ps)
	s.validateTermination(ps)
	for i, ev := range e.Events {
		s.validateEvent(ps, fmt.Sprintf("expect.events[%d]", i), ev)
	}
	for i, l := range e.PreviousLogs {
		ps.Check(strings.TrimSpace(l) != "", fmt.Sprintf("expect.previousLogs[%d]", i), "remove it or write a line fragment, e.g. GET / 500", "empty")
	}
	if e.NotReadyWithin != nil {
		ps.Check(s.Pod.ReadinessProbe != nil, "expect.notReadyWithin", "add a readinessProbe", "only a readiness probe makes a pod NotReady")
		ps.Check(s.Pod.Service, "expect.notReadyWithin", "set pod.service: true",
			"leaving the endpoints needs a Service")
	}
	s.validateNodeFailure(ps)
}

// empty reports whether no expectation is set.
func (e Expect) empty() bool {
	return e.Restarts == nil && e.NoRestartsFor == nil && !e.CrashLoopBackOff && !e.BackOffSchedule &&
		e.LastTermination == nil && len(e.Events) == 0 && !e.NewContainerIDs && len(e.PreviousLogs) == 0 &&
		e.NotReadyWithin == nil && e.NodeFailure == ""
}

// longest is the latest deadline among the expectations.
func (e Expect) longest() time.Duration {
	var d time.Duration
	if e.Restarts != nil && e.Restarts.Within != nil {
		d = max(d, e.Restarts.Within.Duration)
	}
	if e.NoRestartsFor != nil {
		d = max(d, e.NoRestartsFor.Duration)
	}
	if e.NotReadyWithin != nil {
		d = max(d, e.NotReadyWithin.Duration)
	}
	return d
}

func (s *Scenario) validateRestarts(ps *Problems) {
	r := s.Expect.Restarts
	if r == nil {
		return
	}
	if r.Within == nil || r.Within.Duration <= 0 {
		ps.Add("expect.restarts.within", "set the deadline, e.g. 3m", "missing or not positive")
	}
	ps.Check(r.Min >= 0, "expect.restarts.min", "use 0 or more", "%d is negative", r.Min)
	if r.Max != nil {
		ps.Check(*r.Max >= r.Min, "expect.restarts.max", "make it at least min", "%d is less than min %d", *r.Max, r.Min)
	}
	if r.Min <= 0 {
		return
	}
	if nr := s.Expect.NoRestartsFor; nr != nil && r.Within != nil && r.Within.Duration <= nr.Duration {
		ps.Add("expect.noRestartsFor", "drop one of them", "%s of calm contradicts %s within %s", nr.Duration, restarts(r.Min), r.Within.Duration)
	}
	s.validateRestartTiming(ps, r)
}

// validateRestartTiming rejects restarts that cannot happen, or not that
// soon (see timing.go for the arithmetic).
func (s *Scenario) validateRestartTiming(ps *Problems, r *RestartCount) {
	first, why, ok := s.firstRestart()
	if !ok {
		ps.Add("expect.restarts.min", "use a fault that fails a liveness or startup probe, or expect noRestartsFor instead",
			"%s, but nothing here can restart the container (fault %s, restartPolicy %s)", restarts(r.Min), s.App.Fault, s.Pod.RestartPolicy)
		return
	}
	if r.Within == nil {
		return
	}
	need := time.Duration(r.Min) * first
	if r.Within.Duration < need {
		ps.Add("expect.restarts.within", fmt.Sprintf("raise it to more than %s, or shorten the probe timings", need),
			"%s is too soon for %s: each container lives at least %s (%s)", r.Within.Duration, restarts(r.Min), first, why)
	}
}

// validateNeedsRestarts: some expectations only make sense after restarts.
func (s *Scenario) validateNeedsRestarts(ps *Problems) {
	e := s.Expect
	min := 0
	if e.Restarts != nil {
		min = e.Restarts.Min
	}
	need := func(set bool, field string, n int) {
		ps.Check(!set || min >= n, "expect."+field, fmt.Sprintf("set expect.restarts.min to %d or more", n),
			"needs at least %s", restarts(n))
	}
	need(e.CrashLoopBackOff, "crashLoopBackOff", 1)
	need(e.BackOffSchedule, "backOffSchedule", 2)
	need(e.LastTermination != nil, "lastTermination", 1)
	need(e.NewContainerIDs, "newContainerIDs", 1)
	need(len(e.PreviousLogs) > 0, "previousLogs", 1)
}

func (s *Scenario) validateTermination(ps *Problems) {
	t := s.Expect.LastTermination
	if t == nil {
		return
	}
	const f = "expect.lastTermination"
	ps.Check(oneOf(t.Reason, []string{"Completed", "Error", "OOMKilled"}), f+".reason",
		"use Completed (exit 0), Error (non-zero) or OOMKilled", "%q is not a reason containerd reports", t.Reason)
	ps.Check(t.ExitCode >= 0 && t.ExitCode <= 255, f+".exitCode", "use 0 to 255", "%d is not an exit code", t.ExitCode)
	want := s.terminations()
	if !slices.Contains(want, *t) {
		ps.Add(f, s.terminationFix(want), "%s %d cannot happen here", t.Reason, t.ExitCode)
	}
}

// terminationFix explains which termination the scenario leads to, and why.
func (s *Scenario) terminationFix(want []Termination) string {
	var why string
	switch {
	case s.App.Fault == FaultCrash:
		why = "fault crash exits with app.exitCode"
	case s.App.Fault == FaultLeak:
		why = "the leak ends in the kernel's OOM killer (SIGKILL, 128+9)"
	case s.App.OnSigterm == SigtermIgnore:
		why = "onSigterm ignore waits for the SIGKILL after the grace period (128+9)"
	case s.App.OnSigterm == SigtermDrain:
		why = "onSigterm drain exits 0 once in-flight requests finish (a hung one runs into SIGKILL)"
	default:
		why = "onSigterm exit dies of SIGTERM at once (128+15)"
	}
	alts := make([]string, len(want))
	for i, w := range want {
		alts[i] = fmt.Sprintf("%s %d", w.Reason, w.ExitCode)
	}
	return fmt.Sprintf("%s: expect %s", why, strings.Join(alts, " or "))
}

func (s *Scenario) validateNodeFailure(ps *Problems) {
	nf := s.Expect.NodeFailure
	switch {
	case nf == "":
	case nf == NodeFailureLost && s.Pod.Kind == KindPod, nf == NodeFailureRecreated && s.Pod.Kind == KindDeployment:
	case nf == NodeFailureLost || nf == NodeFailureRecreated:
		ps.Add("expect.nodeFailure", "a bare Pod is lost with its node; a Deployment's pod is recreated elsewhere",
			"%s does not fit kind %s", nf, s.Pod.Kind)
	default:
		ps.Add("expect.nodeFailure", "use lost (bare Pod) or recreated (Deployment)", "%q is not an outcome", nf)
	}
}

// killingWillRestart: the kubelet adds ", will be restarted" to the Killing
// message unless restartPolicy is Never (kuberuntime_manager.go, v1.37.2).
func (s *Scenario) killingWillRestart() bool {
	return s.Pod.RestartPolicy != corev1.RestartPolicyNever
}

// restarts words a restart count: "1 restart", "3 restarts".
func restarts(n int) string {
	if n == 1 {
		return "1 restart"
	}
	return fmt.Sprintf("%d restarts", n)
}
