package predict

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// decide is doBackOff (kuberuntime_manager.go): with finished the FinishedAt
// of the newest exited container in the sync's pod status, the container
// starts unless less than the current back-off has passed since then; a
// start moves the back-off on (Next). killSync marks the sync that killed a
// container itself, where finished belongs to the instance before — there
// the time since is a whole container lifetime and can tie with the delay,
// and where a start seen during the hold means that instance was deleted.
func (s *sim) decide(inst int, now, finished time.Duration, killSync bool) {
	had := s.bo.present
	now, finished = s.wall(now), s.wall(finished) // Since(FinishedAt): see wall
	s.bo.gc(now)
	since, bias := now-finished, time.Duration(0)
	if killSync {
		bias = s.p.bias
	}
	tie := killSync && s.bo.present && absDur(since-s.bo.delay) < s.k.TieMargin
	if s.bo.inBackOffSince(finished, now, bias) && !s.p.noBackOff {
		if killSync && !tie && s.deletedAfterShown(inst) {
			s.startNext(inst, s.machine(now), startCause{kind: causeDeleted, was: s.bo.delay}, false)
			return
		}
		s.hold(inst, s.machine(now), since, killSync, tie)
		return
	}
	c := s.cause(inst, had, finished, since)
	s.bo.next(finished, now)
	c.next = s.bo.delay
	s.startNext(inst, s.machine(now), c, tie)
}

// deletedAfterShown reports whether the exited container the kill's sync
// of instance inst compares with (inst-1, whose exit the status did show)
// must have been deleted by then: inst+1 was seen running before any hold
// could have ended, and a hold ends no earlier than the back-off after
// inst's own exit. doBackOff starts a container in the kill's sync only if
// it finds no exited container or enough time has passed; a tie is the
// other explanation, so ties are left to the bias. When the kubelet
// deleted it cannot be seen (see pins.removed); what follows can:
// doBackOff returned before Next, so the back-off did not move on
// (docs/kubelet-backoff.md, "When the exited container is gone").
func (s *sim) deletedAfterShown(inst int) bool {
	seen, observed := s.pins.starts[inst+1]
	if !observed {
		return false
	}
	release := s.wall(s.procs[inst].exitAt) + s.bo.delay
	return s.wall(seen)+pinResolution <= release // seen truncates to the second
}

// cause says why a start goes ahead, for its Why; had is whether a
// back-off entry existed before this sync's GC.
func (s *sim) cause(inst int, had bool, finished, since time.Duration) startCause {
	c := startCause{kind: causeLongAgo, since: since, was: s.bo.delay}
	switch {
	case s.backOffs[inst]:
		c.kind = causeWaited
	case had && (!s.bo.present || s.bo.expired(finished)):
		c.kind = causeExpired
	case !s.bo.present:
		c.kind = causeNoEntry
	}
	return c
}

// hold records the first hold-back of an instance and schedules the next
// sync. After the kill's own sync that is the PLEG's event for the exit;
// after that, the pod worker requeues itself until the back-off ends.
//
// The status shows CrashLoopBackOff from the sync after the first hold-back:
// a sync writes the status it built before SyncPod ran, and the back-off
// reaches it only through the reason cache SyncPod fills
// (kubelet.go SyncPod generateAPIPodStatus, kuberuntime_manager.go
// doBackOff). After a kill that next sync is the PLEG's for the exit, a
// moment later; after a crash nothing happens to the dead container until
// the pod worker's requeue, so the waiting state shows up about when the
// back-off ends (measured: a crash at +17 s held for 10 s showed
// CrashLoopBackOff at +29 s, with the restart), while the Warning BackOff
// event comes with the hold itself.
func (s *sim) hold(inst int, now, since time.Duration, killSync, tie bool) {
	s.holds[inst]++
	s.recorded(true, now) // every held sync records a Warning BackOff event
	next := s.procs[inst].exitAt + s.p.statusDelay
	if !killSync { // the back-off ends delay after FinishedAt, on the wall clock
		next = s.requeue(now, now+s.wall(s.procs[inst].exitAt)+s.bo.delay-s.wall(now))
	}
	next = max(next, now)
	if !s.backOffs[inst] {
		s.backOffs[inst] = true
		msg := fmt.Sprintf("back-off %v restarting failed container=%s pod={pod}_{namespace}({uid})", s.bo.delay, s.d.container)
		cause := &timeline.Cause{Code: timeline.CauseCrashLoopBackOff, BackOff: s.bo.delay}
		r := s.emit(timeline.Entry{Kind: timeline.BackOff, At: next, Instance: inst, Message: msg, Cause: cause}, 0, whyBackOff(since, s.bo.delay, killSync))
		r.tie = tie
	}
	s.push(&event{kind: evSync, at: next, inst: inst})
}

// requeue is when a pod worker that hit a back-off syncs again
// (pod_workers.go completeWork): it sleeps until the back-off's end, at most
// SyncFrequency, stretched by wait.Jitter up to +50 %, and is picked up on
// the sync loop's next one-second tick. Delays are never shorter than the
// back-off; the last sleep before its end overshoots by at most half of it.
func (s *sim) requeue(now, expiry time.Duration) time.Duration {
	rem := min(expiry-now, s.k.SyncFrequency)
	switch s.p.release {
	case releaseAtExpiry:
		return expiry
	case releaseLatest:
		return expiry + time.Duration(requeueJitter*float64(rem)) + syncTick
	}
	return now + time.Duration(float64(rem)*(1+requeueJitter/2)) + syncTick/2
}

func absDur(d time.Duration) time.Duration { return max(d, -d) }

// startNext is the decision to start instance inst+1: it runs after the
// start latency, unless it was observed, which sets when it runs.
func (s *sim) startNext(inst int, now time.Duration, c startCause, tie bool) {
	at := now + s.p.restartLat
	if c.kind == causeWaited {
		c.since = at - s.procs[inst].exitAt
	}
	r := s.recordStart(inst+1, at, c, tie)
	if len(s.procs) > inst+1 {
		return
	}
	if seen, observed := s.pinnedStart(inst + 1); observed {
		at = max(seen, now) // when it was observed, but not before it was decided
		// Each restart takes its own latency: a run holds one, and a
		// run with another diverges elsewhere (its other restarts, its
		// probes), so the window of an observed restart is its decision
		// plus any latency the span allows (a restart in its kill's
		// second, where the run's nominal 1 s said the next).
		r.lo, r.hi = now+s.k.RestartLatency.Min, now+s.k.RestartLatency.Max
	}
	s.push(&event{kind: evStart, at: at, inst: inst + 1})
}

// recordStart records the decision to start instance inst, predicted to run
// at at.
func (s *sim) recordStart(inst int, at time.Duration, c startCause, tie bool) *record {
	s.starts[inst] = true
	r := s.emit(timeline.Entry{Kind: timeline.Started, At: at, Instance: inst, Cause: causeStart(inst, c)}, 0, whyStart(inst, c))
	r.tie = tie
	return r
}

// onStart runs instance inst.
func (s *sim) onStart(e *event) {
	if len(s.procs) == e.inst {
		s.run(e.inst, e.at)
	}
}

// run starts a new container: a new process, with its own request count.
func (s *sim) run(inst int, at time.Duration) {
	s.startEvents(at)
	listen := time.Duration(float64(s.p.listenLat) * s.d.app.cpuScale)
	p := &process{n: inst, start: at, listen: at + listen}
	s.procs = append(s.procs, p)
	s.cur = p
	s.push(&event{kind: evShow, at: at + s.p.statusDelay, inst: inst})
	if t, timed := s.d.app.timer(at); timed {
		s.push(&event{kind: evFaultTimer, at: t, inst: inst})
	}
}

// onShow: the status now shows the new container, so the prober workers see
// a new container ID, and the sync's status triggers a readiness probe.
func (s *sim) onShow(e *event) {
	if s.st.inst >= e.inst {
		return
	}
	p := s.procs[e.inst]
	s.st = status{inst: e.inst, running: !p.exited, start: p.start, started: s.d.probe(startup) == nil}
	if w := s.worker(readiness); w != nil && s.p.readinessRace && s.st.started {
		s.trigger(w, e.at, false)
		return
	}
	s.podSync(e.at)
}

// onShowExit: the status shows the container exited, so it is not ready.
func (s *sim) onShowExit(e *event) {
	if s.st.inst != e.inst {
		return
	}
	s.st.running = false
	s.setReady(false, e.at, 0)
}
