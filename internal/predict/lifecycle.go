package predict

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// termCause is how a container instance ended.
type termCause int

const (
	exitedAtTerm termCause = iota // -on-sigterm exit
	drained                       // -on-sigterm drain
	sigkilled                     // -on-sigterm ignore: SIGKILL after the grace period
	drainStuck                    // drain waiting on a deadlocked request: SIGKILL
	crashed                       // the crash fault
	oomKilled                     // the leak fault
)

// termination is what lastState.terminated will say, and when.
type termination struct {
	cause  termCause
	code   int32
	reason string
	after  time.Duration // kill → exit
	grace  time.Duration // the kill's grace period (0: not killed)
	killed bool          // the kubelet killed it (its sync goes on to restart)
}

// killTermination: the runtime sends SIGTERM, waits the grace period, then
// SIGKILL (kuberuntime_container.go killContainer, setTerminationGracePeriod:
// the probe's terminationGracePeriodSeconds if set, else the pod's; never
// below minimumGracePeriodInSeconds = 2). restartPolicy Never is different:
// with no container left to keep or start, computePodActions sets KillPod,
// and SyncPod kills the whole pod with reason unknown — so the pod's grace
// period applies, and the Killing event says "Stopping container <name>".
func (s *sim) killTermination(p *process, typ probeType) (termination, time.Duration) {
	grace := s.d.grace
	if ps := s.d.probe(typ); ps != nil && ps.grace != nil && s.restarts() {
		grace = *ps.grace
	}
	grace = max(grace, minGrace)
	lat := s.p.exitLat
	t := termination{cause: exitedAtTerm, code: 143, reason: "Error", after: lat, grace: grace, killed: true}
	switch s.d.app.sigterm {
	case scenarios.SigtermDrain:
		t.cause, t.code, t.reason = drained, 0, "Completed"
		if s.d.app.fault == scenarios.FaultDeadlock && p.began {
			t.cause, t.code, t.reason, t.after = drainStuck, 137, "Error", grace+lat
		}
	case scenarios.SigtermIgnore:
		t.cause, t.code, t.after = sigkilled, 137, grace+lat
	}
	return t, grace
}

// restarts is computePodActions' restart: a killed container is started
// again unless restartPolicy is Never.
func (s *sim) restarts() bool { return s.d.policy != corev1.RestartPolicyNever }

// onKill is the sync that acts on a liveness or startup failure
// (kuberuntime_manager.go computePodActions → SyncPod: kill, then start).
func (s *sim) onKill(e *event) {
	p := s.procs[e.inst]
	if p.exited && !p.forced {
		return // nothing to kill: the exit's own sync restarts it
	}
	s.podSync(e.at) // the status built first may trigger a readiness probe
	term, grace := s.killTermination(p, e.typ)
	msg, why := fmt.Sprintf("Container %s failed %s probe, will be restarted", s.d.container, lower(e.typ)), whyKilling(s.d.probe(e.typ), grace)
	cause := causeKilling(s.d.probe(e.typ), grace)
	if !s.restarts() {
		msg, why = "Stopping container "+s.d.container, why.Plus(whyNever())
		cause.Detail = timeline.KillDetailPodStopped
	}
	if ok, note := s.recorded(false, e.at); ok {
		s.emit(timeline.Entry{Kind: timeline.Killing, At: e.at, Instance: e.inst, Message: msg, Cause: cause}, e.typ, why.Plus(note))
	}
	s.exit(e.inst, e.at+term.after, e.at, term)
}

// exit records the run's prediction that instance inst, decided at now,
// exits at at, and makes it so: at the observed moment if there is one (the
// kill's sync goes on from the real exit), but not before the run decided
// it. A process already stopped because the next instance was observed
// running (onPinStart) only gets the record, and the sync after its exit
// still decides, for the record, what comes next.
func (s *sim) exit(inst int, at, now time.Duration, term termination) {
	if _, decided := s.terms[inst]; decided {
		return
	}
	s.terms[inst] = term
	code := term.code
	s.emit(timeline.Entry{Kind: timeline.Terminated, At: at, Instance: inst, ExitCode: &code, Reason: term.reason, Cause: causeExit(term)},
		0, whyExit(term))
	if s.procs[inst].exited {
		s.afterExit(inst, at, term)
		return
	}
	if x, observed := s.pinnedExit(inst); observed {
		if at > s.pins.exits[inst]+pinResolution { // after the observed second
			s.misses++
		}
		at = max(x, now)
	}
	s.push(&event{kind: evExit, at: at, inst: inst, term: term})
}

// apply carries out what beginning a fault does to the process.
func (s *sim) apply(p *process, eff effect, t time.Duration) {
	switch eff {
	case exitNow:
		code := s.d.app.exitCode
		term := termination{cause: crashed, code: code, reason: reasonFor(code), after: s.p.exitLat}
		s.exit(p.n, t+s.p.exitLat, t, term)
	case leakOOM:
		if s.d.app.oomAfter > 0 {
			fill := s.d.app.oomAfter * time.Duration(s.p.leakPercent) / 100
			term := termination{cause: oomKilled, code: 137, reason: "OOMKilled", after: s.p.exitLat}
			s.exit(p.n, t+fill+s.p.exitLat, t, term)
		}
	}
}

// reasonFor is containerd's reason for an exit code.
func reasonFor(code int32) string {
	if code == 0 {
		return "Completed"
	}
	return "Error"
}

// onExit ends a process. Its FinishedAt is the observed one when the
// prediction is conditioned on it.
func (s *sim) onExit(e *event) {
	p := s.procs[e.inst]
	if p.exited {
		return
	}
	p.exited, p.exitAt = true, s.finishedAt(e.inst, e.at)
	if s.cur == p {
		s.cur = nil
	}
	s.push(&event{kind: evShowExit, at: e.at + s.p.statusDelay, inst: e.inst})
	s.afterExit(e.inst, e.at, e.term)
}

// afterExit is the sync that follows an exit at t. An exit the kubelet did
// not cause is noticed by the PLEG, whose event syncs the pod: that sync
// decides the restart. After a kill, the kill's own sync goes on once
// StopContainer returns. Both follow the real exit when it was observed,
// even if this run got there later: what the kubelet decided then is the
// next step to predict.
func (s *sim) afterExit(inst int, t time.Duration, term termination) {
	t = s.finishedAt(inst, t)
	switch {
	case !term.killed:
		s.push(&event{kind: evSync, at: t + s.p.statusDelay, inst: inst})
	case s.restarts():
		s.push(&event{kind: evKillReturn, at: t + stopReturn, inst: inst})
	}
}

// onKillReturn: the kill's sync goes on to start the container. doBackOff
// reads the pod status taken before the kill, so the newest exited container
// it finds is the previous instance, not the one just killed
// (kuberuntime_manager.go doBackOff; podStatus is sorted newest first).
func (s *sim) onKillReturn(e *event) {
	if s.starts[e.inst+1] {
		return // observed running before this run got to decide it (onPinStart)
	}
	switch {
	case e.inst == 0:
		s.startNext(e.inst, e.at, startCause{kind: causeNoExited}, false)
	case s.pins.removed(e.inst-1) || e.inst == s.p.removedBefore:
		s.startNext(e.inst, e.at, startCause{kind: causeRemoved}, false)
	default:
		s.decide(e.inst, e.at, s.procs[e.inst-1].exitAt, true)
	}
}

// onSync is a pod sync that finds instance inst exited and newest.
func (s *sim) onSync(e *event) {
	if s.starts[e.inst+1] || !s.shouldRestart(s.procs[e.inst]) {
		return
	}
	s.decide(e.inst, e.at, s.procs[e.inst].exitAt, false)
}

// shouldRestart is ShouldContainerBeRestarted (pkg/kubelet/container/helpers.go).
func (s *sim) shouldRestart(p *process) bool {
	switch s.d.policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return s.lastExitCode(p) != 0
	}
	return true
}

func (s *sim) lastExitCode(p *process) int32 {
	for i := len(s.out) - 1; i >= 0; i-- {
		if r := s.out[i].e; r.Kind == timeline.Terminated && r.Instance == p.n {
			return *r.ExitCode
		}
	}
	return 0
}
