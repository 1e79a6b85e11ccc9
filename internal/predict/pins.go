package predict

import (
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// pins are what a conditioned prediction (WithObserved) takes as given from
// a drill's observed timeline: when each container instance started and
// exited, and when each probe first failed. How long the kubelet and the
// runtime take to start or stop a container depends on how busy the node
// is, and so does the phase of the probe workers (set by when the pod's
// first sync ran, prober_manager.go AddPod); the rules the model stands for
// — probe schedule, thresholds, grace period, back-off — do not. So every
// run of the grid is brought back to what was observed, and each entry is
// predicted from what was seen before it: one step ahead, never an error
// carried forward.
type pins struct {
	starts, exits map[int]time.Duration
	// failed holds the observed failures of each probe type, in order.
	failed map[probeType][]failedProbe
	// pauses are the machine's pauses seen during the drill (see sim.wall).
	pauses timeline.Pauses
}

// failedProbe is an observed Unhealthy event: when, and whether it says
// the probe timed out (then it was recorded timeoutSeconds after its tick).
type failedProbe struct {
	at       time.Duration
	timedOut bool
}

// pinResolution is how far an observed offset may be from the true one:
// both it and the pod's creation are API timestamps in whole seconds.
const pinResolution = time.Second

// pinsOf collects the pins of the container from the observed timeline of
// the first pod (a Deployment's replacement pod has a timeline of its own,
// which the prediction does not cover).
func pinsOf(tl timeline.Timeline, container string) pins {
	pn := pins{starts: map[int]time.Duration{}, exits: map[int]time.Duration{}, failed: map[probeType][]failedProbe{}, pauses: tl.Pauses}
	pod, found := tl.FirstPod(container)
	if !found {
		return pn
	}
	for _, e := range tl.Entries {
		if e.Pod != pod || (e.Container != "" && e.Container != container) {
			continue
		}
		switch e.Kind {
		case timeline.Started:
			pn.starts[e.Instance] = e.At
		case timeline.Terminated:
			pn.exits[e.Instance] = e.At
		case timeline.ProbeFailed:
			pn.addFailure(e)
		}
	}
	return pn
}

// addFailure records a failure under its probe type.
func (pn pins) addFailure(e timeline.Entry) {
	for _, t := range []probeType{liveness, readiness, startup} {
		if strings.HasPrefix(e.Message, t.String()+" probe") {
			timedOut := strings.Contains(e.Message, "deadline exceeded") || strings.Contains(e.Message, "timed out")
			pn.failed[t] = append(pn.failed[t], failedProbe{at: e.At, timedOut: timedOut})
		}
	}
}

// phase is when the ticker of probe ps ticked near its first observed
// failure, as an interval [lo, hi): each failure was recorded at most
// ProbeLatency (and timeoutSeconds, if it timed out) after a tick, and its
// timestamp is truncated to the second; all of them are on one ticker, so
// the interval is what they agree on. ok is false without failures, or if
// they do not agree (then the first alone is used).
func (pn pins) phase(ps *probeSpec, lat time.Duration) (lo, hi time.Duration, ok bool) {
	fs := pn.failed[ps.typ]
	if len(fs) == 0 {
		return 0, 0, false
	}
	interval := func(f failedProbe) (time.Duration, time.Duration) {
		at := f.at
		if f.timedOut {
			at -= ps.timeout
		}
		return at - lat, at + pinResolution
	}
	lo, hi = interval(fs[0])
	for _, f := range fs[1:] {
		l, h := interval(f)
		k := (l - lo) / ps.period // whole periods between them, or one more
		best := time.Duration(0)
		for _, kk := range []time.Duration{k, k + 1} {
			ll, hh := l-kk*ps.period, h-kk*ps.period
			if overlap := min(hi, hh) - max(lo, ll); overlap > best {
				best, l, h = overlap, ll, hh
			}
		}
		if best > 0 { // a failure that agrees with none (a ticker reset) is left out
			lo, hi = max(lo, l), min(hi, h)
		}
	}
	return lo, hi, true
}

// removed reports whether the exited container of instance inst was
// deleted before any status showed it: the next instance was seen running
// while the API never showed inst's exit (a status showing inst+1 running
// shows inst as lastState if the runtime still has it). Measured under load
// (kubelet -v=4): when the next container is still being created as inst's
// ContainerDied is handled, the kubelet deletes inst's container at once
// (pod_container_deletor.go, the minute GC), and the next kill's doBackOff
// then finds no exited container — it neither waits nor moves the back-off
// on ("Checking backoff" is never logged).
func (pn pins) removed(inst int) bool {
	_, exited := pn.exits[inst]
	_, next := pn.starts[inst+1]
	return next && !exited
}

// observedStep reports whether the entry k is a start, kill or exit that
// was observed: the instance's start, or its end (its exit, or the next
// instance's start).
func (pn pins) observedStep(k recordKey) bool {
	_, started := pn.starts[k.inst]
	_, exited := pn.exits[k.inst]
	_, next := pn.starts[k.inst+1]
	switch k.kind {
	case timeline.Started:
		return started
	case timeline.Killing, timeline.Terminated:
		return exited || next
	}
	return false
}

func (pn pins) empty() bool {
	return len(pn.starts) == 0 && len(pn.exits) == 0 && len(pn.failed) == 0
}

// workerBase is when worker ps's ticker started (any time ≡ its phase
// mod the period will do), given the first container's start: from an
// observed failure of its probe if there is one, else WorkerLead before
// the start. Liveness and startup workers tick on that phase for the pod's
// life (worker.go run); a readiness worker's ticker is reset by every
// manual run, so only its start is known.
func (s *sim) workerBase(ps *probeSpec, first time.Duration) time.Duration {
	lag := max(s.k.ProbeLatency.Max, pinResolution)
	if ps.handler == execAction {
		lag += s.k.ExecLatency.Max
	}
	lo, hi, ok := s.pins.phase(ps, lag)
	if !ok || ps.typ == readiness {
		return max(first-s.p.workerLead, 0)
	}
	// Any tick of that phase will do, but not one before the pod existed:
	// clamping to 0 would lose the phase when the container started within
	// the pod's first second.
	tick := lo + time.Duration(float64(hi-lo)*s.p.phaseShift)
	for tick > first {
		tick -= ps.period
	}
	for tick < 0 {
		tick += ps.period
	}
	return tick
}

// onPinStart: instance inst was observed running. A run that has not
// decided to start it yet (its latencies are longer than the node's were,
// or its model holds the restart back) still records its decision when it
// comes; the container runs now. The instance before it must have ended by
// then: if this run has not ended it yet, it is stopped without a record,
// and the run's own kill or crash still records when it predicted it.
func (s *sim) onPinStart(e *event) {
	if len(s.procs) > e.inst {
		return
	}
	if n := len(s.procs); n > 0 && n == e.inst && !s.procs[n-1].exited {
		s.stop(s.procs[n-1], e.at)
	}
	if len(s.procs) != e.inst {
		return
	}
	if e.inst > 0 && !s.starts[e.inst] {
		s.misses++
		// The kubelet decided this start before the run did, and moved its
		// back-off on (Next) as it did so — except for the first restart
		// after a kill, which finds no exited container (onKillReturn); the
		// run will not decide it any more, as the container it would have
		// acted on is gone.
		if e.inst > 1 || !s.killed(0) {
			s.bo.gc(s.wall(e.at))
			s.bo.next(s.wall(s.procs[e.inst-1].exitAt), s.wall(e.at))
		}
		s.starts[e.inst] = true
	}
	s.run(e.inst, e.at)
}

// killed reports whether instance inst was (or, if the run has not got to
// it, would be) killed by the kubelet rather than exit by itself.
func (s *sim) killed(inst int) bool {
	if t, ok := s.terms[inst]; ok {
		return t.killed
	}
	a := s.d.app.fault
	self := a == scenarios.FaultCrash || a == scenarios.FaultLeak
	return !self && (s.d.probe(liveness) != nil || s.d.probe(startup) != nil)
}

// stop ends p at t because the next instance was observed running.
func (s *sim) stop(p *process, t time.Duration) {
	p.exited, p.forced = true, true
	p.exitAt = s.finishedAt(p.n, t)
	if s.cur == p {
		s.cur = nil
	}
	s.push(&event{kind: evShowExit, at: t + s.p.statusDelay, inst: p.n})
}

// finishedAt is the FinishedAt of instance inst as the kubelet's status has
// it (what doBackOff compares with): the observed one, else the model's t.
func (s *sim) finishedAt(inst int, t time.Duration) time.Duration {
	if x, ok := s.pinnedExit(inst); ok {
		return x
	}
	return t
}

// pinnedStart and pinnedExit are when this run takes instance inst to have
// started or exited, if that was observed: within the second the API's
// timestamp names (truncated), at the run's pinLag. Where in that second
// decides, for instance, whether a probe tick a moment later finds the new
// container in the status or not.
func (s *sim) pinnedStart(inst int) (time.Duration, bool) {
	at, ok := s.pins.starts[inst]
	return at + s.p.pinLag, ok
}

func (s *sim) pinnedExit(inst int) (time.Duration, bool) {
	at, ok := s.pins.exits[inst]
	return at + s.p.pinLag, ok
}
