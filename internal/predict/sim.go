package predict

import (
	"container/heap"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// The model is a discrete-event simulation of one pod on one kubelet: the
// prober workers, faultyapp's processes and the pod worker's syncs, each a
// kind of event. Everything is deterministic for one setting of params.

// params is one setting of what the model cannot know exactly (see Kubelet).
type params struct {
	workerLead, firstStart, restartLat, exitLat, statusDelay time.Duration
	probeLat, execLat, listenLat, killLat                    time.Duration
	// phaseShift places a probe's tick within the interval its observed
	// failures allow (pins.phase): 0 its start, 1 its end.
	phaseShift float64
	// pinLag is where, within its second, an observed start or exit
	// really was: the API truncates timestamps to the second
	// (sim.pinnedStart, sim.pinnedExit).
	pinLag time.Duration
	// forceEarly brings a run that has not decided an observed restart by
	// the observed second's start to it there, not at the second's end:
	// the container may have run from early in that second, and a tick
	// later in it can probe the new container (replays *-first-tick).
	forceEarly  bool
	leakPercent int64
	release     releaseMode
	// bias shifts the kill sync's back-off comparison to explore near-ties.
	bias time.Duration
	// readinessRace: the readiness probe triggered when a new container shows
	// up reads the status before it is updated, and so probes a period later.
	readinessRace bool
	// slowExec: the one exec probe whose look at the container matters
	// (the first to find the fault) took ExecLatency.Max, the others
	// execLat. runc exec's start-up varies from probe to probe, so the
	// first failure can come from a tick before the fault while the ones
	// after it come quickly (replay seed-exec-slow-first-exec).
	slowExec bool
	// noBackOff restarts every container at once: the fastest possible
	// schedule, an upper bound on restarts for the flaky fault.
	noBackOff bool
	// removedBefore is the instance whose kill's sync finds the exited
	// container before it deleted (0: none): the container GC ran while
	// it was being created (Kubelet.Removals, removals).
	removedBefore int
}

// releaseMode is when a pod worker that is backing off syncs again.
type releaseMode int

const (
	releaseAtExpiry releaseMode = iota // the earliest: exactly when the back-off ends
	releaseChain                       // the usual: requeues with the mean jitter
	releaseLatest                      // the latest the jitter allows
)

type evKind int

const (
	evTick       evKind = iota // a prober worker's ticker fires
	evResult                   // a probe returns
	evKill                     // the sync that acts on a liveness or startup failure
	evExit                     // a process ends
	evKillReturn               // StopContainer returned; the kill's sync goes on to start
	evSync                     // a pod sync that finds the container exited
	evStart                    // a container runs
	evShow                     // the kubelet's status shows a started container
	evShowExit                 // the kubelet's status shows an exit
	evFaultTimer               // -after-time (or -after 0) begins the fault
	evPinStart                 // a container was observed running (WithObserved)
)

type event struct {
	at   time.Duration
	seq  int
	kind evKind
	w    *worker
	gen  int
	inst int
	out  outcome
	term termination
	typ  probeType
	slow bool // an exec result put off by slowExec
}

// queue orders events by time, then by when they were scheduled.
type queue []*event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// status is what the kubelet's status manager says about the container;
// prober workers read it (worker.go doProbe), not the runtime.
type status struct {
	inst    int // the instance shown; -1 before the first
	running bool
	start   time.Duration
	started bool // startup probe passed, or there is none
}

type sim struct {
	d      *drill
	k      Kubelet
	p      params
	pins   pins
	terms  map[int]termination // how the run decided each instance ends
	starts map[int]bool        // instances whose start the run has decided
	// misses counts the observed starts and exits this run got to only
	// after they happened: how badly it explains what was seen.
	misses   int
	q        queue
	seq      int
	procs    []*process
	cur      *process // the process listening on the pod IP, if any
	st       status
	ready    bool
	workers  []*worker
	bo       backOff
	backOffs map[int]bool // instances whose hold-back was already recorded
	holds    map[int]int  // BackOff events per held instance
	normal   tokenBucket  // the event spam filter, per event type
	warning  tokenBucket
	counts   map[recordKey]int
	out      []record
}

func newSim(d *drill, k Kubelet, pn pins, p params) *sim {
	s := &sim{d: d, k: k, p: p, pins: pn, st: status{inst: -1}, bo: newBackOff(k),
		backOffs: map[int]bool{}, holds: map[int]int{}, counts: map[recordKey]int{},
		terms: map[int]termination{}, starts: map[int]bool{}}
	s.recordStart(0, p.firstStart, startCause{kind: causeFirst}, false)
	first, pinned := s.pinnedStart(0)
	if !pinned {
		first = p.firstStart
		s.push(&event{kind: evStart, at: first, inst: 0})
	}
	for _, ps := range d.probes {
		base := s.workerBase(ps, first) // prober_manager.go AddPod, before the sandbox
		w := &worker{spec: ps, base: base, seen: -1}
		s.workers = append(s.workers, w)
		s.push(&event{kind: evTick, at: base, w: w})
	}
	for inst, at := range pn.starts {
		if inst == 0 {
			at = first
		} else {
			// A run that decides a start within the observed second (API
			// times are truncated) is in time: it starts the container then
			// (startNext); only after that second is the start forced.
			at += pinResolution - time.Millisecond
			if p.forceEarly {
				at = s.pins.starts[inst] + p.pinLag
			}
		}
		s.push(&event{kind: evPinStart, at: at, inst: inst})
	}
	return s
}

// simulate runs the model until limit and returns what it recorded.
func simulate(d *drill, k Kubelet, pn pins, p params, limit time.Duration) []record {
	recs, _ := simulateScored(d, k, pn, p, limit)
	return recs
}

// simulateScored also returns the run's misses (sim.misses).
func simulateScored(d *drill, k Kubelet, pn pins, p params, limit time.Duration) ([]record, int) {
	s := newSim(d, k, pn, p)
	for s.q.Len() > 0 {
		e := heap.Pop(&s.q).(*event)
		if e.at > limit {
			break
		}
		s.handle(e)
	}
	return s.out, s.misses
}

func (s *sim) push(e *event) {
	s.seq++
	e.seq = s.seq
	heap.Push(&s.q, e)
}

func (s *sim) handle(e *event) {
	switch e.kind {
	case evTick:
		s.onTick(e)
	case evResult:
		s.onResult(e)
	case evKill:
		s.onKill(e)
	case evExit:
		s.onExit(e)
	case evKillReturn:
		s.onKillReturn(e)
	case evSync:
		s.onSync(e)
	case evStart:
		s.onStart(e)
	case evShow:
		s.onShow(e)
	case evShowExit:
		s.onShowExit(e)
	case evPinStart:
		s.onPinStart(e)
	case evFaultTimer:
		s.apply(s.procs[e.inst], s.procs[e.inst].begin(s.d.app, e.at), e.at)
	}
}

// hasExec reports whether any of the drill's probes is an exec probe.
func (d *drill) hasExec() bool {
	for _, p := range d.probes {
		if p.handler == execAction {
			return true
		}
	}
	return false
}

// probe returns the drill's probe of type t, or nil.
func (d *drill) probe(t probeType) *probeSpec {
	for _, p := range d.probes {
		if p.typ == t {
			return p
		}
	}
	return nil
}

// record is one predicted entry before its window is known.
type record struct {
	e   timeline.Entry
	why phrase
	key recordKey
	tie bool
	// optional: a run that explains what was seen as well lacks it
	// (markOptional).
	optional bool
	// lo and hi, when hi is set, widen the entry's window to what this run
	// alone allows (startNext: an observed restart, any latency from its
	// decision).
	lo, hi time.Duration
}

// recordKey identifies "the same" entry across runs of the model: the n-th
// entry of a kind (and probe type) for one container instance.
type recordKey struct {
	kind  timeline.Kind
	inst  int
	probe probeType
	seq   int
}

func (s *sim) emit(e timeline.Entry, probe probeType, why phrase) *record {
	e.Container = s.d.container
	base := recordKey{kind: e.Kind, inst: e.Instance, probe: probe}
	k := base
	k.seq = s.counts[base]
	s.counts[base]++
	s.out = append(s.out, record{e: e, why: why, key: k})
	return &s.out[len(s.out)-1]
}

// wall is the wall-clock offset of machine offset t: t plus the machine's
// pauses before it (timeline.Pause; none unless a conditioned prediction
// saw one). The kubelet's tickers and timers — probe period and timeout,
// grace period, the pod worker's requeue — run on the monotonic clock, which
// a pause does not advance; but two of its checks subtract wall-clock times
// from the runtime: the back-off (time since the dead container's
// FinishedAt, flowcontrol.Backoff.IsInBackOffSince) and initialDelaySeconds
// (time since StartedAt, prober worker.go doProbe). A pause counts in full
// there: measured with the wall clock stepped 17 s during a drill, a 20-s
// back-off begun 10 s before the step was over at once.
func (s *sim) wall(t time.Duration) time.Duration { return s.pins.pauses.Wall(t) }

// machine is wall's inverse.
func (s *sim) machine(w time.Duration) time.Duration { return s.pins.pauses.Offset(w) }
