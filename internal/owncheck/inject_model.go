package owncheck

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// injectPlan is what the model says of an injected fault on this
// container: whether the liveness probe must restart it, when (from the
// injection), and how long the fault holds.
type injectPlan struct {
	fault   string
	restart bool
	// killMin and killMax bound the Killing event: the first failing probe
	// starts within a period and fails after its timeout; failureThreshold
	// in a row kill (docs/kubelet-probes.md).
	killMin, killMax time.Duration
	// grace is the pod's termination grace period; stopped: the process
	// cannot act on SIGTERM, so the kill takes all of it and ends in 137
	// (docs/real-app-faults.md, "Killing a stopped or frozen container").
	grace   time.Duration
	stopped bool
	// hold is how long a fault the app should survive lasts (cpu-starve).
	hold time.Duration
	// pipeline: the liveness probe execs a pipeline under a shell, which
	// a hang blocks for the runtime's request timeout per probe.
	pipeline bool
	// checks is the cut dependency the liveness probe's command names:
	// the model expects it to fail with the dependency.
	checks string
}

// runtimeRequestTimeout is the kubelet's default --runtime-request-timeout:
// an exec probe whose output pipe stays open blocks this long
// (docs/real-app-faults.md, "freeze").
const runtimeRequestTimeout = 2 * time.Minute

// plan models fault on the checked container.
func (k *Check) plan(fault string) injectPlan {
	c := k.container()
	p := injectPlan{fault: fault, grace: k.grace(), stopped: fault == FaultFreeze}
	p.restart = !survivable(fault) || slices.Contains(k.Options.ExpectRestart, fault)
	l := probe(c.LivenessProbe)
	if l == nil {
		p.hold = k.duration(0)
		return p
	}
	period, timeout := secs(l.PeriodSeconds), secs(l.TimeoutSeconds)
	p.killMin = time.Duration(l.FailureThreshold-1)*period + timeout
	p.killMax = time.Duration(l.FailureThreshold)*period + timeout
	p.hold = k.duration(p.killMax)
	p.pipeline = pipelineExec(l)
	if fault == FaultDependencyCut {
		p.checks, _ = namesDependency(l, k.cutTargets())
	}
	if p.checks != "" && k.Options.Duration == 0 {
		// the model expects a kill: hold long enough to see it on a busy node
		p.hold = max(p.hold, p.killMax+lateMargin)
	}
	return p
}

// Survivable are the faults that leave the app alive: a restart is a
// false restart unless the team says otherwise (--expect-restart).
func Survivable() []string { return []string{FaultCPUStarve, FaultDependencyCut} }

func survivable(fault string) bool { return slices.Contains(Survivable(), fault) }

// duration is how long cpu-starve holds: --duration, or long enough that
// the liveness probe's whole window passes twice (at least 10 s).
func (k *Check) duration(window time.Duration) time.Duration {
	if d := k.Options.Duration; d > 0 {
		return d
	}
	return max(2*window, 10*time.Second)
}

// pipelineExec reports whether p execs a pipeline under a shell without
// timeout(1): `sh -c 'redis-cli ping | grep PONG'`.
func pipelineExec(p *corev1.Probe) bool {
	if p.Exec == nil || len(p.Exec.Command) < 3 {
		return false
	}
	cmd := p.Exec.Command
	shell := slices.Contains([]string{"sh", "bash", "ash", "dash", "zsh"}, path.Base(cmd[0]))
	script := strings.Join(cmd[1:], " ")
	return shell && strings.Contains(script, "|") && !strings.Contains(script, "timeout ")
}

// lift says when to take the fault back: a fault the probe must catch
// holds until the container is being killed (freeze: until it ended: a
// stopped process is how a hang dies), one it must survive for its hold.
func (p injectPlan) lift(s seen, from, at time.Time) bool {
	in := s.inst(0)
	switch {
	case in.ended != nil || s.restarts > 0:
		return true
	case p.fault == FaultFreeze:
		return time.Since(at) > p.killMax+p.grace+lateMargin
	case s.lastKill.After(from):
		return true // a rule left in the pod's network namespace kills the next container too
	case p.restart:
		return time.Since(at) > p.killMax+lateMargin
	}
	return time.Since(at) > p.hold
}

// settled says when what the kubelet did is known: the restarted
// container serves (or the restart limit passed), a kill ended, or the
// model's window for a kill is long past.
func (k *Check) settled(s seen, from, at time.Time, p injectPlan, need time.Duration) bool {
	first := s.inst(0)
	switch {
	case s.restarts > 0:
		next := s.inst(1)
		return !instanceServing(k.container(), next, need).IsZero() || time.Since(next.startedAt) > restartLimit
	case first.ended != nil:
		return !k.restartsAfter(first.ended) || time.Since(at) > p.killMax+p.grace+restartLimit
	case s.lastKill.After(from):
		return time.Since(s.lastKill) > p.grace+lateMargin
	}
	return time.Since(at) > max(p.killMax, p.hold)+watchMargin
}

// restartsAfter says whether the restart policy restarts a container that
// ended as e says.
func (k *Check) restartsAfter(e *corev1.ContainerStateTerminated) bool {
	return k.restarts(Signalled{Ended: true, ExitCode: e.ExitCode})
}

// must words what the probes must do under fault.
func (k *Check) must(fault string) string {
	switch {
	case fault == FaultCrash:
		return "restarted as restartPolicy " + string(k.policy()) + " says"
	case survivable(fault) && slices.Contains(k.Options.ExpectRestart, fault):
		return "restarted (--expect-restart)"
	case fault == FaultCPUStarve:
		return "no restart: slow is not dead"
	case fault == FaultDependencyCut:
		return "no restart: a dependency down is not this app dead"
	case fault == FaultFreeze:
		return "restarted: a hung app must be restarted"
	}
	return "restarted: an app its probe cannot reach must be restarted"
}

// probedPorts are the TCP ports port-blocked drops: the liveness probe's
// (or else the first probe's) port, or, for an exec probe, the
// container's declared ports. None: the fault cannot run.
func (k *Check) probedPorts() []int32 {
	c := k.container()
	for _, p := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		if p == nil {
			continue
		}
		switch {
		case p.HTTPGet != nil:
			return portOf(c, p.HTTPGet.Port)
		case p.TCPSocket != nil:
			return portOf(c, p.TCPSocket.Port)
		case p.GRPC != nil:
			return []int32{p.GRPC.Port}
		}
		var ports []int32
		for _, cp := range c.Ports {
			if cp.Protocol == "" || cp.Protocol == corev1.ProtocolTCP {
				ports = append(ports, cp.ContainerPort)
			}
		}
		return ports
	}
	return nil
}

// portOf resolves a probe's port, by number or by the container port's name.
func portOf(c *corev1.Container, port intstr.IntOrString) []int32 {
	if port.Type == intstr.Int {
		return []int32{port.IntVal}
	}
	for _, cp := range c.Ports {
		if cp.Name == port.StrVal {
			return []int32{cp.ContainerPort}
		}
	}
	return nil
}

// skipInjected says why fault cannot run here ("" when it can).
func (k *Check) skipInjected(fault string) string {
	switch {
	case fault == FaultPortBlocked && len(k.probedPorts()) == 0:
		return "the probe is an exec probe and the container declares no TCP port: name the port in ports[]"
	case fault == FaultDependencyCut && len(k.cutTargets()) == 0:
		return "the input defines no Service the workload talks to: add its manifests to the input, or name it with --dependency HOST:PORT"
	}
	return ""
}

// predictedInjected words the model's timeline.
func (p injectPlan) predicted(k *Check) string {
	c := k.container()
	if c.LivenessProbe == nil {
		if p.restart {
			return "no liveness probe: nothing restarts it"
		}
		return "no liveness probe: no restart"
	}
	if p.checks != "" {
		return fmt.Sprintf("the liveness probe's command names %s: it fails with it, Killing at +%s, restarted", p.checks, between(p.killMin, p.killMax))
	}
	if p.fault == FaultDependencyCut {
		return "no restart: the liveness probe does not name the dependency; readiness may fail meanwhile"
	}
	if !p.restart {
		return fmt.Sprintf("no restart while the probe answers within its %s timeout; %d failures in a row (from %s) would restart it",
			secs(probe(c.LivenessProbe).TimeoutSeconds), probe(c.LivenessProbe).FailureThreshold, secs1(p.killMin))
	}
	end := fmt.Sprintf("ended within the %s grace period", p.grace)
	if p.stopped {
		end = fmt.Sprintf("exit 137 at +%s (a stopped process cannot act on SIGTERM: the whole %s grace period)",
			between(p.killMin+p.grace, p.killMax+p.grace), p.grace)
	}
	out := fmt.Sprintf("Killing at +%s, %s, restarted at once", between(p.killMin, p.killMax), end)
	if p.pipeline {
		out += fmt.Sprintf("; but the exec probe runs a pipeline under a shell: a hang can block each probe %s", runtimeRequestTimeout)
	}
	return out
}

// observedInjected words what the kubelet did, in seconds after the injection.
func observedInjected(in *Injected) string {
	var parts []string
	if in.LivenessFailures > 0 {
		parts = append(parts, fmt.Sprintf("%s (first +%s)", plural(in.LivenessFailures, "liveness failure"), secs1(in.FirstFailure)))
	} else {
		parts = append(parts, "no liveness failure")
	}
	if in.Killing > 0 {
		parts = append(parts, "Killing +"+secs1(in.Killing))
	}
	if in.Ended > 0 {
		parts = append(parts, fmt.Sprintf("exit %d (%s) +%s", in.ExitCode, in.Reason, secs1(in.Ended)))
	}
	switch {
	case in.Restarted > 0 && in.Serving > 0:
		parts = append(parts, fmt.Sprintf("restarted +%s, serving +%s", secs1(in.Restarted), secs1(in.Serving)))
	case in.Restarted > 0:
		parts = append(parts, "restarted +"+secs1(in.Restarted))
	default:
		parts = append(parts, fmt.Sprintf("no restart in %s", secs1(in.Watched)))
	}
	if in.ReadinessFailures > 0 {
		parts = append(parts, plural(in.ReadinessFailures, "readiness failure"))
	}
	return strings.Join(parts, ", ")
}

// killTolerance: events arrive up to about a second late, and the probe
// worker's first tick after a restart of its timer is not exact.
const killTolerance = 2 * time.Second

// judgeInjected: restarted exactly when it must be, and when the model said.
func (k *Check) judgeInjected(f *FaultResult, p injectPlan) {
	in := f.Injected
	restarted := in.Restarted > 0 || in.Killing > 0
	f.Pass = restarted == p.restart
	f.Predicted, f.Observed = p.predicted(k), observedInjected(in)
	if p.restart && in.Killing > 0 && (in.Killing < p.killMin-killTolerance || in.Killing > p.killMax+killTolerance) {
		f.Mismatch = append(f.Mismatch, fmt.Sprintf("the model put Killing at +%s, the kubelet's came at +%s",
			between(p.killMin, p.killMax), secs1(in.Killing)))
	}
	f.Advice = k.injectAdvice(p, in, restarted)
}

// injectAdvice names what the fault showed, with its numbers.
func (k *Check) injectAdvice(p injectPlan, in *Injected, restarted bool) string {
	c := k.container()
	switch {
	case p.restart && c.LivenessProbe == nil:
		return "Add a livenessProbe: without one the kubelet never restarts a container that stopped answering."
	case p.restart && !restarted && p.pipeline:
		return fmt.Sprintf("Not restarted in %s where the probe promises about %s: the exec probe runs a pipeline under a shell, "+
			"and with the app hung each probe blocks until the kubelet's runtime request timeout (%s), so a hang is restarted "+
			"only after failureThreshold × %s. Wrap the command in `timeout %d` or exec a single binary.",
			secs1(in.Watched), secs1(p.killMax), runtimeRequestTimeout, runtimeRequestTimeout, max(1, probe(c.LivenessProbe).TimeoutSeconds))
	case p.restart && !restarted:
		return fmt.Sprintf("Not restarted in %s where the probe promises %s: the liveness probe still passes with the app %s: "+
			"probe what the app serves, not a side process.", secs1(in.Watched), secs1(p.killMax), hungOrUnreachable(p))
	case !p.restart && restarted && p.fault == FaultDependencyCut:
		return fmt.Sprintf("A false restart: %d liveness failures with %s unreachable, and restarting this app does not bring it back: "+
			"every replica restarts at once. Check the dependency in the readinessProbe (the pod leaves its Service's endpoints "+
			"until it is back) and keep liveness on the app itself.", in.LivenessFailures, k.cutWords())
	case !p.restart && !restarted && p.fault == FaultDependencyCut && in.ReadinessFailures > 0:
		return fmt.Sprintf("Spared, and %d readiness failures took it out of its Service's endpoints meanwhile, as they should.", in.ReadinessFailures)
	case !p.restart && restarted && p.fault == FaultCPUStarve:
		l := probe(c.LivenessProbe)
		return fmt.Sprintf("A false restart: %d liveness failures under a %d%% CPU quota (timeoutSeconds %d, failureThreshold %d). "+
			"Raise timeoutSeconds or failureThreshold, make the check cheaper, or give the container more CPU.",
			in.LivenessFailures, k.starvePercent(), l.TimeoutSeconds, l.FailureThreshold)
	case !p.restart && in.LivenessFailures > 0 && p.fault == FaultCPUStarve:
		return fmt.Sprintf("Spared, but %s under a %d%% CPU quota (never %d in a row): close to a false restart.",
			plural(in.LivenessFailures, "liveness failure"), k.starvePercent(), probe(c.LivenessProbe).FailureThreshold)
	case p.stopped && in.Ended > 0 && in.ExitCode == 137:
		return fmt.Sprintf("A hung app ignores SIGTERM: each such restart waits the whole grace period (%s).", p.grace)
	case p.stopped && in.Ended == 0 && waitedGrace(in, p.grace):
		// a busy kubelet may remove the exited container before any
		// status shows it (docs/kubelet-backoff.md, "When the exited
		// container is gone"); the first restart is never backed off
		// (docs/kubelet-facts.md), so the gap after Killing is the wait
		return fmt.Sprintf("A hung app ignores SIGTERM: the restart came %s after the Killing event, the whole grace period (%s); "+
			"the exit itself never showed in the container's status.", secs1(in.Restarted-in.Killing), p.grace)
	}
	return ""
}

// cutWords names dependency-cut's targets: "redis:6379".
func (k *Check) cutWords() string {
	var out []string
	for _, e := range k.cutTargets() {
		out = append(out, e.String())
	}
	return strings.Join(out, ", ")
}

// waitedGrace: the restart came at least the grace period, less the
// slack of sigtermAdvice, after the Killing event.
func waitedGrace(in *Injected, grace time.Duration) bool {
	return in.Killing > 0 && in.Restarted > in.Killing && in.Restarted-in.Killing >= grace-graceSlack
}

func hungOrUnreachable(p injectPlan) string {
	switch p.fault {
	case FaultFreeze:
		return "hung"
	case FaultCPUStarve:
		return "starved"
	case FaultDependencyCut:
		return "cut off from its dependency"
	}
	return "unreachable"
}

// plural is "1 readiness failure", "3 readiness failures".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
