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
	t := termination{cause: exitedAtTerm, code: 143, reason: "Error", after: exitLag, killed: true}
	switch s.d.app.sigterm {
	case scenarios.SigtermDrain:
		t.cause, t.code, t.reason = drained, 0, "Completed"
		if s.d.app.fault == scenarios.FaultDeadlock && p.began {
			t.cause, t.code, t.reason, t.after = drainStuck, 137, "Error", grace
		}
	case scenarios.SigtermIgnore:
		t.cause, t.code, t.after = sigkilled, 137, grace
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
	if p.exited {
		return // nothing to kill: the exit's own sync restarts it
	}
	s.podSync(e.at) // the status built first may trigger a readiness probe
	term, grace := s.killTermination(p, e.typ)
	msg, why := fmt.Sprintf("Container %s failed %s probe, will be restarted", s.d.container, lower(e.typ)), whyKilling(s.d.probe(e.typ), grace)
	if !s.restarts() {
		msg, why = "Stopping container "+s.d.container, why.plus(whyNever())
	}
	if ok, note := s.recorded(false, e.at); ok {
		s.emit(timeline.Entry{Kind: timeline.Killing, At: e.at, Instance: e.inst, Message: msg}, e.typ, why.plus(note))
	}
	s.push(&event{kind: evExit, at: e.at + term.after, inst: e.inst, term: term})
	if s.restarts() {
		s.push(&event{kind: evKillReturn, at: e.at + term.after + stopReturn, inst: e.inst})
	}
}

// apply carries out what beginning a fault does to the process.
func (s *sim) apply(p *process, eff effect, t time.Duration) {
	switch eff {
	case exitNow:
		code := s.d.app.exitCode
		term := termination{cause: crashed, code: code, reason: reasonFor(code)}
		s.push(&event{kind: evExit, at: t, inst: p.n, term: term})
	case leakOOM:
		if s.d.app.oomAfter > 0 {
			fill := s.d.app.oomAfter * time.Duration(s.p.leakPercent) / 100
			term := termination{cause: oomKilled, code: 137, reason: "OOMKilled"}
			s.push(&event{kind: evExit, at: t + fill, inst: p.n, term: term})
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

// onExit ends a process. An exit the kubelet did not cause is noticed by the
// PLEG, whose event syncs the pod: that sync decides the restart.
func (s *sim) onExit(e *event) {
	p := s.procs[e.inst]
	if p.exited {
		return
	}
	p.exited, p.exitAt = true, e.at
	if s.cur == p {
		s.cur = nil
	}
	code := e.term.code
	s.emit(timeline.Entry{Kind: timeline.Terminated, At: e.at, Instance: e.inst, ExitCode: &code, Reason: e.term.reason},
		0, whyExit(e.term, e.term.after))
	s.push(&event{kind: evShowExit, at: e.at + s.p.statusDelay, inst: e.inst})
	if !e.term.killed {
		s.push(&event{kind: evSync, at: e.at + s.p.statusDelay, inst: e.inst})
	}
}

// onKillReturn: the kill's sync goes on to start the container. doBackOff
// reads the pod status taken before the kill, so the newest exited container
// it finds is the previous instance, not the one just killed
// (kuberuntime_manager.go doBackOff; podStatus is sorted newest first).
func (s *sim) onKillReturn(e *event) {
	if e.inst == 0 {
		s.startNext(e.inst, e.at, startCause{kind: causeNoExited})
		return
	}
	s.decide(e.inst, e.at, s.procs[e.inst-1].exitAt, true)
}

// onSync is a pod sync that finds instance inst exited and newest.
func (s *sim) onSync(e *event) {
	if len(s.procs) > e.inst+1 || !s.shouldRestart(s.procs[e.inst]) {
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
