package predict

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// worker is one prober worker (pkg/kubelet/prober/worker.go): one per probe
// for the pod's whole life, so its ticker phase survives restarts.
type worker struct {
	spec   *probeSpec
	base   time.Duration // ticker origin: worker start, or the last manual trigger
	gen    int           // bumped by a ticker reset; older ticks are dropped
	seen   int           // the container instance it last saw (w.containerID); -1 none
	onHold bool          // after a liveness kill or a startup verdict, until a new container
	last   bool          // lastResult: true for success
	run    int           // resultRun: how many times in a row
	busy   time.Duration // a probe in flight ends then
}

// nextTick is the first ticker time after t.
func (w *worker) nextTick(t time.Duration) time.Duration {
	return w.base + ((t-w.base)/w.spec.period+1)*w.spec.period
}

// onTick runs one probe loop iteration (worker.go run). A probe that outlasts
// the period makes Go's ticker drop ticks, but one tick stays buffered, so
// the next probe starts as soon as this one returns.
func (s *sim) onTick(e *event) {
	w := e.w
	if e.gen != w.gen {
		return // the ticker was reset since this tick was scheduled
	}
	next := w.nextTick(e.at)
	if s.doProbe(w, e.at) && next <= w.busy {
		next = w.busy
	}
	s.push(&event{kind: evTick, at: next, w: w, gen: w.gen})
}

// trigger is a manual run of the readiness probe, which the kubelet sends
// whenever it builds a status for a started, running, not-ready container
// (prober_manager.go UpdatePodStatus); the run also resets the ticker.
func (s *sim) trigger(w *worker, t time.Duration, probeNow bool) {
	w.gen++
	w.base = max(t, w.busy)
	at := w.base
	if !probeNow {
		at += w.spec.period
	}
	s.push(&event{kind: evTick, at: at, w: w, gen: w.gen})
}

// gate is worker.go doProbe up to the probe itself: which ticks probe.
func (s *sim) gate(w *worker, t time.Duration) bool {
	if s.st.inst < 0 {
		return false // "Probe target container not found"
	}
	if s.st.inst != w.seen {
		w.seen, w.onHold = s.st.inst, false // a new container ID: resume
		if w.spec.typ == readiness {
			s.setReady(false, t, 0) // readiness starts as Failure
		}
	}
	switch {
	case w.onHold:
		return false
	case !s.st.running:
		if w.spec.typ == readiness {
			s.setReady(false, t, 0)
		}
		return false
	case int32((s.wall(t)-s.wall(s.st.start))/time.Second) < w.spec.initialDelay:
		return false // int(seconds since StartedAt) < initialDelaySeconds, on the wall clock
	}
	// Startup probes only until the container has started; the others only after.
	return s.st.started == (w.spec.typ != startup)
}

// doProbe probes if the gate allows and schedules the result.
func (s *sim) doProbe(w *worker, t time.Duration) bool {
	if !s.gate(w, t) {
		return false
	}
	target := s.cur // a network probe reaches whatever listens on the pod IP
	if w.spec.handler == execAction {
		target = s.procs[s.st.inst]
		if target.exited {
			return false // exec into a dead container errors; errors are thrown away
		}
	}
	out, eff := respond(target, s.d.app, w.spec, t)
	s.apply(target, eff, t)
	w.busy = t + out.latency + s.p.probeLat
	if w.spec.handler == execAction {
		w.busy += s.p.execLat
	}
	s.push(&event{kind: evResult, at: w.busy, w: w, inst: s.st.inst, out: out})
	return true
}

// onResult records a probe's result: an Unhealthy event for every failure,
// and a verdict once the result repeats threshold times.
func (s *sim) onResult(e *event) {
	w, o := e.w, e.out
	if w.spec.handler == execAction {
		// `faultyapp check` looks at the file when runc has started it,
		// up to ExecLatency after the tick: a file removed in between
		// fails this probe (docs/kubelet-probes.md).
		if s.slowExec(e) {
			return
		}
		o = execOutcome(s.procs[e.inst])
	}
	if w.run > 0 && w.last == o.ok {
		w.run++
	} else {
		w.last, w.run = o.ok, 1
	}
	if !o.ok {
		s.unhealthy(w, o, e)
	}
	threshold := w.spec.failure
	if o.ok {
		threshold = w.spec.success
	}
	if w.run >= threshold {
		s.verdict(w, e.inst, o.ok, e.at)
	}
}

// slowExec is params.slowExec: an exec probe that finds the file still
// there, but would not have if its runc exec had taken ExecLatency.Max,
// takes that long in this run and returns later, failing. It reports
// whether it put the result off.
func (s *sim) slowExec(e *event) bool {
	if !s.p.slowExec || e.slow || s.k.ExecLatency.Max >= e.w.spec.period {
		return false // the next tick was scheduled from this probe's end
	}
	p := s.procs[e.inst]
	late := e.at - s.p.execLat + s.k.ExecLatency.Max
	if late <= e.at || s.d.app.fileGoneBy(p, e.at) || !s.d.app.fileGoneBy(p, late) {
		return false
	}
	e.w.busy = late
	s.push(&event{kind: evResult, at: late, w: e.w, inst: e.inst, out: e.out, slow: true})
	return true
}

// unhealthy records the Warning Unhealthy event of a failed probe, unless
// the spam filter drops it (prober.go recordContainerEvent).
func (s *sim) unhealthy(w *worker, o outcome, e *event) {
	ok, note := s.recorded(true, e.at)
	if !ok {
		return
	}
	msg := fmt.Sprintf("%s probe failed: %s", w.spec.typ, detail(o, w.spec))
	s.emit(timeline.Entry{Kind: timeline.ProbeFailed, At: e.at, Instance: e.inst, Message: msg, Cause: causeProbeFailed(o, w.spec, w.run)},
		w.spec.typ, whyProbeFailed(o, w.spec, w.run, s.d.app.fault).Plus(note))
}

// verdict is resultsManager.Set at the threshold and what follows from it.
func (s *sim) verdict(w *worker, inst int, ok bool, t time.Duration) {
	switch w.spec.typ {
	case readiness:
		s.setReady(ok, t, w.run)
	case liveness:
		if !ok {
			w.onHold, w.run = true, 0
			s.push(&event{kind: evKill, at: t + s.p.killLat, inst: inst, typ: liveness})
		}
	case startup:
		w.onHold, w.run = true, 0
		if !ok {
			s.push(&event{kind: evKill, at: t + s.p.killLat, inst: inst, typ: startup})
			return
		}
		if s.st.inst == inst {
			s.st.started = true // kubelet.go syncLoopIteration: SetContainerStartup
		}
		s.podSync(t)
	}
}

// setReady records a readiness flip; a flip to NotReady makes the kubelet
// sync the pod, which triggers another readiness probe.
func (s *sim) setReady(ok bool, t time.Duration, run int) {
	if s.ready == ok {
		return
	}
	s.ready = ok
	if s.d.probe(readiness) == nil {
		return
	}
	kind, why := timeline.Ready, whyReady(s.d.probe(readiness).success)
	cause := &timeline.Cause{Code: timeline.CauseReadinessPassed, Probe: lower(readiness), Threshold: s.d.probe(readiness).success}
	if !ok {
		kind, why = timeline.NotReady, whyNotReady(run)
		cause = causeNotReady(s.d.probe(readiness), run)
	}
	s.emit(timeline.Entry{Kind: kind, At: t, Instance: max(s.st.inst, 0), Cause: cause}, readiness, why)
	if !ok && run > 0 {
		s.podSync(t)
	}
}

// podSync is the part of every pod sync that touches probes: building the
// status triggers a readiness probe for a started, running, not-ready
// container (prober_manager.go UpdatePodStatus).
func (s *sim) podSync(t time.Duration) {
	w := s.worker(readiness)
	if w != nil && s.st.running && s.st.started && !s.ready {
		s.trigger(w, t, true)
	}
}

func (s *sim) worker(t probeType) *worker {
	for _, w := range s.workers {
		if w.spec.typ == t {
			return w
		}
	}
	return nil
}
