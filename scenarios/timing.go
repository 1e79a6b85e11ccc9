package scenarios

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// This file holds the little arithmetic Validate needs to call an
// expectation impossible. It is deliberately a lower bound, not a model:
// internal/predict owns the exact kubelet timeline. What it relies on
// (pkg/kubelet/prober/worker.go, v1.37.2):
//   - a probe is skipped while the container has run less than
//     initialDelaySeconds, and probes are periodSeconds apart;
//   - the kubelet acts on the failureThreshold-th consecutive failure;
//   - a new container starts counting from zero (faultyapp's request count,
//     its timers and initialDelaySeconds all start again).
// Grace periods and CrashLoopBackOff only make restarts later, so leaving
// them out keeps the bound safe.

// seconds converts a probe field to a duration.
func seconds(n int32) time.Duration { return time.Duration(n) * time.Second }

// requestSource reports whether a probe's handler counts toward app.after:
// every HTTP or gRPC request does, and for tcp-close every connection does.
func requestSource(fault string, p *corev1.Probe) bool {
	switch {
	case p.HTTPGet != nil, p.GRPC != nil:
		return true
	case p.TCPSocket != nil:
		return fault == FaultTCPClose
	}
	return false
}

// faultStart is the earliest offset from container start at which a counted
// fault can begin. With one probe sending requests the (after+1)-th request
// comes no sooner than initialDelay + after·period; with several, they may
// add up, so 0 is the only safe bound.
func (s *Scenario) faultStart() (time.Duration, string) {
	a := s.App
	if !Counted(a.Fault) || a.After == nil || *a.After == 0 {
		return 0, "the fault is there from the start"
	}
	var srcs []*corev1.Probe
	for _, np := range s.Pod.probes() {
		if requestSource(a.Fault, np.probe) {
			srcs = append(srcs, np.probe)
		}
	}
	timer := time.Duration(1<<63 - 1)
	if a.AfterTime != nil && a.AfterTime.Duration > 0 {
		timer = a.AfterTime.Duration
	}
	if len(srcs) != 1 {
		if len(srcs) == 0 && timer < time.Duration(1<<63-1) {
			return timer, fmt.Sprintf("the fault starts at afterTime %s", timer)
		}
		return 0, "several probes send requests"
	}
	p := srcs[0]
	byCount := seconds(p.InitialDelaySeconds) + time.Duration(*a.After)*seconds(p.PeriodSeconds)
	if timer < byCount {
		return timer, fmt.Sprintf("the fault starts at afterTime %s", timer)
	}
	return byCount, fmt.Sprintf("the fault starts at %s (initialDelaySeconds %d + after %d × periodSeconds %d)",
		byCount, p.InitialDelaySeconds, *a.After, p.PeriodSeconds)
}

// killAt is the earliest offset from container start at which probe p can
// reach failureThreshold consecutive failures when failing from `from` on.
func killAt(p *corev1.Probe, from time.Duration) time.Duration {
	first := max(from, seconds(p.InitialDelaySeconds))
	return first + time.Duration(p.FailureThreshold-1)*seconds(p.PeriodSeconds)
}

// firstRestart is a lower bound on the offset of the first restart and a
// sentence saying how it was computed; ok is false when nothing can restart
// the container.
func (s *Scenario) firstRestart() (at time.Duration, why string, ok bool) {
	if s.Pod.RestartPolicy == corev1.RestartPolicyNever {
		return 0, "", false
	}
	from, base := s.faultStart()
	if selfExit(s.App.Fault) {
		return from, "the app exits by itself; " + base, true
	}
	best, found := time.Duration(0), false
	for _, np := range s.Pod.probes() {
		if np.kind == "Readiness" || !s.probeCanFail(np) {
			continue
		}
		k := killAt(np.probe, from)
		if !found || k < best {
			best, found = k, true
			why = fmt.Sprintf("%s; then %s needs failureThreshold %d failures, periodSeconds %d apart",
				base, np.field, np.probe.FailureThreshold, np.probe.PeriodSeconds)
		}
	}
	return best, why, found
}

// selfExit faults end the container without any probe.
func selfExit(fault string) bool { return fault == FaultCrash || fault == FaultLeak }

// probeCanFail reports whether the fault can ever fail this probe. When
// unsure it says yes: Validate must never reject a scenario that can work.
func (s *Scenario) probeCanFail(np namedProbe) bool {
	fault, p := s.App.Fault, np.probe
	if fault == FaultSlowStart {
		return s.slowStartCanFail(np)
	}
	if np.kind == "Startup" && Counted(fault) && s.App.After != nil && *s.App.After > 0 && s.App.AfterTime == nil {
		// The startup probe stops at its first success, and the first
		// request is served normally.
		return false
	}
	switch {
	case p.HTTPGet != nil:
		return httpCanFail(fault, p.HTTPGet.Path)
	case p.TCPSocket != nil:
		return fault == FaultTCPClose || fault == FaultCrash
	case p.Exec != nil:
		return fault == FaultExecFile
	case p.GRPC != nil:
		return fault != FaultNone && fault != FaultLeak && fault != FaultExecFile && !HealthzOnly(fault)
	}
	return false
}

// httpCanFail: the HTTP faults answer 500, hang, or stop listening; the
// /healthz-only faults are seen on /healthz alone.
func httpCanFail(fault, path string) bool {
	switch fault {
	case FaultNone, FaultExecFile, FaultLeak, FaultGRPC:
		return false
	}
	return !HealthzOnly(fault) || path == HealthzPath
}

// slowStartCanFail: before -startup nothing listens, so every handler fails;
// after it the app is healthy. A probe can kill only if its threshold is
// reached before the app listens. Liveness waits for the startup probe.
func (s *Scenario) slowStartCanFail(np namedProbe) bool {
	if np.kind == "Liveness" && s.Pod.StartupProbe != nil {
		return false
	}
	if s.App.Startup == nil {
		return false
	}
	return killAt(np.probe, 0) < s.App.Startup.Duration
}

// terminations lists what lastState.terminated may say after a restart
// (docs/kubelet-facts.md, "Kill, exit code, reason"): a liveness kill sends
// SIGTERM, then SIGKILL after the grace period.
func (s *Scenario) terminations() []Termination {
	switch s.App.Fault {
	case FaultCrash:
		code := int32(1)
		if s.App.ExitCode != nil {
			code = int32(*s.App.ExitCode)
		}
		return []Termination{exitTermination(code)}
	case FaultLeak:
		return []Termination{{Reason: "OOMKilled", ExitCode: 137}}
	}
	switch s.App.OnSigterm {
	case SigtermIgnore:
		return []Termination{exitTermination(137)}
	case SigtermDrain:
		// A hung request never finishes, so a drain may run into SIGKILL.
		if s.App.Fault == FaultHang || s.App.Fault == FaultDeadlock {
			return []Termination{exitTermination(0), exitTermination(137)}
		}
		return []Termination{exitTermination(0)}
	}
	return []Termination{exitTermination(143)}
}

// exitTermination is what containerd reports for an exit code.
func exitTermination(code int32) Termination {
	if code == 0 {
		return Termination{Reason: "Completed", ExitCode: 0}
	}
	return Termination{Reason: "Error", ExitCode: code}
}
