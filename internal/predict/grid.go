package predict

import (
	"slices"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// The tolerance windows come from running the model many times: once with
// every uncertain latency at its usual value (the nominal run, which gives
// At), and again with each at its smallest and largest, alone and all
// together, with near-ties resolved both ways and the readiness trigger race
// won and lost. An entry's window is the spread of its counterparts
// (widened by Kubelet.TimestampSlack, 0 by default).

// leakPercent is how much the leak's time to OOM may differ from the one
// computed from -leak-rate and the memory limit: the baseline memory and the
// kernel's reclaim are not modelled.
func leakPercent(i int) int64 { return [3]int64{50, 100, 200}[i] }

// level picks a span's value: 0 Min, 1 Nominal, 2 Max.
func level(s Span, i int) time.Duration {
	return [3]time.Duration{s.Min, s.Nominal, s.Max}[i]
}

// dimensions are the uncertain values of a run; each sets its value to
// level i (0 Min, 1 Nominal, 2 Max). Their order is the order of the runs
// that vary one of them (grid).
var dimensions = []func(p *params, k Kubelet, i int){
	func(p *params, k Kubelet, i int) { p.workerLead = level(k.WorkerLead, i) },
	func(p *params, k Kubelet, i int) { p.firstStart = level(k.FirstStart, i) },
	func(p *params, k Kubelet, i int) { p.restartLat = level(k.RestartLatency, i) },
	func(p *params, k Kubelet, i int) { p.statusDelay = level(k.StatusDelay, i) },
	func(p *params, _ Kubelet, i int) { p.leakPercent = leakPercent(i) },
	func(p *params, _ Kubelet, i int) { p.release = releaseMode(i) },
	func(p *params, k Kubelet, i int) { p.exitLat = level(k.ExitLatency, i) },
	func(p *params, k Kubelet, i int) { p.probeLat = level(k.ProbeLatency, i) },
	func(p *params, k Kubelet, i int) { p.killLat = level(k.KillLatency, i) },
	func(p *params, _ Kubelet, i int) { p.phaseShift = phaseShift(i) },
	func(p *params, k Kubelet, i int) { p.execLat = level(k.ExecLatency, i) },
	func(p *params, k Kubelet, i int) { p.listenLat = level(k.ListenLatency, i) },
	func(p *params, _ Kubelet, i int) { p.pinLag = pinLag(i) },
}

// pinLag places an observed start or exit within its truncated second:
// usually at the timestamp itself (as the runs before pinLag did, which
// the replays hold to), at most (nearly) a second later.
func pinLag(i int) time.Duration {
	return [3]time.Duration{0, 0, pinResolution - time.Millisecond}[i]
}

// profile sets every uncertain value to the same level.
func profile(k Kubelet, i int) params {
	var p params
	for _, set := range dimensions {
		set(&p, k, i)
	}
	return p
}

// phaseShift places a probe's tick within the interval its observed
// failures allow (pins.phase): its start, middle and (nearly) its end.
func phaseShift(i int) float64 { return [3]float64{0, 0.5, 0.999}[i] }

// vary sets one dimension of p to level i.
func vary(k Kubelet, p params, dim, i int) params {
	dimensions[dim](&p, k, i)
	return p
}

// maxPhases bounds the extra runs that sweep the probe phase.
const maxPhases = 24

// phases returns runs that sweep WorkerLead across its span, the others at
// their usual value. The lead sets the phase of every probe worker's ticker,
// and an entry on a tick moves by a whole period when the phase crosses the
// container's start: its earliest and latest can lie anywhere in the span,
// not only at its ends. StatusDelay is swept the same way: it decides which
// tick is the first to find a new container in the status, and a long delay
// also leaves the old container's exit unseen, so that ticks probe the new
// one early (a network probe reaches whatever listens on the pod IP).
// Steps of an eighth of the shortest period (at most maxPhases of them)
// leave no gap wider than the API's one-second resolution for periods up
// to 8 s, and a fraction of a period beyond.
func phases(k Kubelet, d *drill, pn pins, nominal params) []params {
	if len(d.probes) == 0 {
		return nil
	}
	out := shifts(k, pn, nominal)
	if d.hasExec() { // each phase also with the slow exec (params.slowExec)
		for _, p := range out {
			p.slowExec = true
			out = append(out, p)
		}
	}
	shortest := d.probes[0].period
	for _, ps := range d.probes {
		shortest = min(shortest, ps.period)
	}
	sweep := func(s Span, set func(*params, time.Duration)) {
		span := s.Max - s.Min
		n := min(int(span/(shortest/8)), maxPhases)
		for i := 1; i < n; i++ {
			p := nominal
			set(&p, s.Min+span*time.Duration(i)/time.Duration(n))
			out = append(out, p)
		}
	}
	sweep(k.WorkerLead, func(p *params, v time.Duration) { p.workerLead = v })
	sweep(k.StatusDelay, func(p *params, v time.Duration) { p.statusDelay = v })
	return out
}

// shifts sweeps phaseShift across the interval the observed failures allow
// (pins.phase), in eighths. Each step also runs the race a restart opens:
// the worker sees the new container at once (StatusDelay.Min) and probes it
// before the app listens (ListenLatency.Max), so the first probe after a
// restart may be refused rather than served — which of the two a tick
// close to the start gets is not visible in second-resolution timestamps.
func shifts(k Kubelet, pn pins, nominal params) []params {
	if len(pn.failed) == 0 {
		return nil
	}
	var out []params
	for i := range 9 {
		p := nominal
		p.phaseShift = min(float64(i)/8, phaseShift(2))
		race := p
		race.statusDelay, race.listenLat = k.StatusDelay.Min, k.ListenLatency.Max
		early := race // the restart early in its observed second, seen at once
		early.forceEarly, early.pinLag, early.listenLat = true, 0, k.ListenLatency.Nominal
		out = append(out, p, race, early)
	}
	return out
}

// grid returns the runs; the first is the nominal one.
func grid(k Kubelet) []params {
	nominal := profile(k, 1)
	runs := []params{nominal}
	for i := range 3 {
		for _, bias := range []time.Duration{0, -k.TieMargin, k.TieMargin} {
			for _, race := range []bool{false, true} {
				p := profile(k, i)
				p.bias, p.readinessRace = bias, race
				if p != nominal {
					runs = append(runs, p)
				}
			}
		}
	}
	for d := range dimensions {
		for _, i := range []int{0, 2} {
			runs = append(runs, vary(k, nominal, d, i))
		}
	}
	slow := nominal
	slow.slowExec = true
	return append(runs, slow)
}

// spread merges the runs into per-entry windows. An entry that some runs
// lack (a near-tie resolved the other way may skip a hold-back) is bounded
// by the runs that have it: a window says when, if it happens.
func spread(runs [][]record) map[recordKey][2]time.Duration {
	ws := map[recordKey][2]time.Duration{}
	for _, run := range runs {
		for _, r := range run {
			w, ok := ws[r.key]
			if !ok {
				w = [2]time.Duration{r.e.At, r.e.At}
			}
			w = [2]time.Duration{min(w[0], r.e.At), max(w[1], r.e.At)}
			if r.hi > 0 {
				w = [2]time.Duration{min(w[0], r.lo), max(w[1], r.hi)}
			}
			ws[r.key] = w
		}
	}
	return ws
}

// backOffs collects the back-off each run's hold-backs state, by entry.
func backOffs(runs [][]record) map[recordKey][]time.Duration {
	out := map[recordKey][]time.Duration{}
	for _, run := range runs {
		for _, r := range run {
			if c := r.e.Cause; r.e.Kind == timeline.BackOff && c != nil && !slices.Contains(out[r.key], c.BackOff) {
				out[r.key] = append(out[r.key], c.BackOff)
			}
		}
	}
	return out
}

// withOtherBackOffs gives a hold-back the back-offs other runs state for
// it (timeline.Cause.OtherBackOffs), on a copy of its cause.
func withOtherBackOffs(e timeline.Entry, all []time.Duration) timeline.Entry {
	if e.Cause == nil {
		return e
	}
	var other []time.Duration
	for _, d := range all {
		if d != e.Cause.BackOff {
			other = append(other, d)
		}
	}
	if len(other) > 0 {
		c := *e.Cause
		slices.Sort(other)
		c.OtherBackOffs = other
		e.Cause = &c
	}
	return e
}

// windowed gives the nominal run's entries their windows, widened by slack,
// and keeps those that can happen by horizon.
func windowed(runs [][]record, horizon, slack time.Duration) []record {
	ws, bs := spread(runs), backOffs(runs)
	var out []record
	for _, r := range runs[0] {
		w := ws[r.key]
		if r.e.Kind == timeline.BackOff {
			r.e = withOtherBackOffs(r.e, bs[r.key])
		}
		r.e.Earliest = max(w[0]-slack, 0)
		r.e.Latest = w[1] + slack
		if r.e.Earliest <= horizon {
			out = append(out, r)
		}
	}
	return out
}

// runAll simulates every run of the grid until limit, each taking the pinned
// observations as given; noBackOff switches CrashLoopBackOff off (for
// flaky's upper bound).
func runAll(d *drill, k Kubelet, pn pins, limit time.Duration, noBackOff bool) [][]record {
	ps := grid(k)
	ps = append(ps, phases(k, d, pn, ps[0])...)
	if !pn.empty() {
		// Conditioned on what was observed, the fastest run is tried first:
		// brought back to every observed start and exit, it decides each
		// restart when the kubelet could first have, from the observed
		// exits, as the kubelet did.
		// The same run with the slowest restart latency bounds a start
		// from above: the kubelet may decide it as early as that and
		// still take the longest to get it running. The grid's own runs
		// with a long restart latency decide later (their releases are
		// later), and a run that decides a start after it was observed
		// has no entry for it.
		slowStart := profile(k, 0)
		slowStart.restartLat = k.RestartLatency.Max
		ps = append([]params{profile(k, 0), slowStart}, ps...)
	}
	runs := make([][]record, len(ps))
	misses := make([]int, len(ps))
	for i, p := range ps {
		p.noBackOff = noBackOff
		runs[i], misses[i] = simulateScored(d, k, pn, p, limit)
	}
	gridRuns := len(runs)
	if !noBackOff && k.Removals > 0 {
		for _, p := range removals(k, runs) {
			r, m := simulateScored(d, k, pn, p, limit)
			runs, misses = append(runs, r), append(misses, m)
		}
	}
	best := 0
	for i := range misses {
		if misses[i] < misses[best] {
			best = i
		}
	}
	// The run that gives the entries (and their At) is the one that
	// explains what was seen best: it decided every observed start and
	// exit before it happened, or missed the fewest. A run that did not get
	// to decide a step before the next was observed has no entries for it.
	markOptional(runs[best], runs, misses)
	markSkipped(runs[best], runs[gridRuns:])
	runs[best] = fillObserved(runs[best], runs, misses, pn)
	runs[0], runs[best] = runs[best], runs[0]
	return runs
}

// removals returns the runs in which one kill's sync finds the exited
// container before it deleted, for each instance the runs killed: under
// load the container GC can run while a container is being created and
// delete the exited one before it (docs/kubelet-backoff.md, "When the
// exited container is gone"). That kill restarts at once and its
// hold-back does not happen, so each later entry may come as much earlier.
// Each is tried from the nominal, fastest and slowest profile, and from
// the nominal one with the near-ties biased both ways. A
// conditioned prediction tries them too: when that kill came after the
// back-off anyway, only a later hold-back's message shows it (replay
// startup-probe-too-short-removed-unseen).
func removals(k Kubelet, runs [][]record) []params {
	last := 0
	for _, run := range runs {
		for _, r := range run {
			if r.e.Kind == timeline.Killing {
				last = max(last, r.e.Instance)
			}
		}
	}
	var out []params
	for inst := 1; inst <= last; inst++ {
		for _, i := range []int{1, 0, 2} {
			p := profile(k, i)
			p.removedBefore = inst
			out = append(out, p)
		}
		// An earlier near-tie resolved the other way changes which
		// restarts were held back before the kill that finds the exited
		// container gone (replay startup-probe-too-short-removed-after-tie:
		// restart 3 held, 4 at once, 5 removed).
		for _, bias := range []time.Duration{-k.TieMargin, k.TieMargin} {
			p := profile(k, 1)
			p.removedBefore, p.bias = inst, bias
			out = append(out, p)
		}
	}
	return out
}

// fillObserved adds to the chosen run the starts, kills and exits that were
// observed but that it did not decide in time (it was brought to them by
// the pins, so it has no entry): each from the run that best explains what
// was seen among those that did. The chosen run is the one that missed
// fewest steps over the whole drill, which may be an early step — without
// this, that step would be judged "not predicted" although other runs of
// the model have it.
func fillObserved(chosen []record, runs [][]record, misses []int, pn pins) []record {
	has := keys(chosen)
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return misses[a] - misses[b] })
	for _, i := range order {
		for _, r := range runs[i] {
			if !has[r.key] && pn.observedStep(r.key) {
				has[r.key] = true
				chosen = append(chosen, r)
			}
		}
	}
	return chosen // Prediction.add puts them in time order
}

// markOptional marks the probe failures of the chosen run that another
// run explaining what was seen as well does not have: how many ticks find
// the container failing depends on when each tick first sees it (status
// delay, phase), so the last of a series may or may not happen.
func markOptional(chosen []record, runs [][]record, misses []int) {
	fewest := slices.Min(misses)
	for i, run := range runs {
		if misses[i] != fewest {
			continue
		}
		has := keys(run)
		for j := range chosen {
			if chosen[j].e.Kind == timeline.ProbeFailed && !has[chosen[j].key] {
				chosen[j].optional = true
			}
		}
	}
}

// markSkipped marks the hold-backs of the chosen run that a removal run
// (removals) lacks: the kill that found the exited container deleted
// restarted without one.
func markSkipped(chosen []record, removed [][]record) {
	for _, run := range removed {
		has := keys(run)
		for j := range chosen {
			if chosen[j].e.Kind == timeline.BackOff && !has[chosen[j].key] {
				chosen[j].optional = true
			}
		}
	}
}

// keys is the set of a run's entries, by recordKey.
func keys(run []record) map[recordKey]bool {
	has := make(map[recordKey]bool, len(run))
	for _, r := range run {
		has[r.key] = true
	}
	return has
}
