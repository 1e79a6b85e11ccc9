package predict

import (
	"time"
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

// profile sets every uncertain value to the same level.
func profile(k Kubelet, i int) params {
	return params{
		workerStart: level(k.WorkerStart, i), firstStart: level(k.FirstStart, i),
		restartLat: level(k.RestartLatency, i), statusDelay: level(k.StatusDelay, i),
		leakPercent: leakPercent(i), release: releaseMode(i),
	}
}

// vary sets one dimension of p to level i (dimensions as in profile).
func vary(k Kubelet, p params, dim, i int) params {
	switch dim {
	case 0:
		p.workerStart = level(k.WorkerStart, i)
	case 1:
		p.firstStart = max(level(k.FirstStart, i), p.workerStart)
	case 2:
		p.restartLat = level(k.RestartLatency, i)
	case 3:
		p.statusDelay = level(k.StatusDelay, i)
	case 4:
		p.leakPercent = leakPercent(i)
	case 5:
		p.release = releaseMode(i)
	}
	return p
}

const dims = 6

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
	for d := range dims {
		for _, i := range []int{0, 2} {
			runs = append(runs, vary(k, nominal, d, i))
		}
	}
	return runs
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
			ws[r.key] = [2]time.Duration{min(w[0], r.e.At), max(w[1], r.e.At)}
		}
	}
	return ws
}

// windowed gives the nominal run's entries their windows, widened by slack,
// and keeps those that can happen by horizon.
func windowed(runs [][]record, horizon, slack time.Duration) []record {
	ws := spread(runs)
	var out []record
	for _, r := range runs[0] {
		w := ws[r.key]
		r.e.Earliest = max(w[0]-slack, 0)
		r.e.Latest = w[1] + slack
		if r.e.Earliest <= horizon {
			out = append(out, r)
		}
	}
	return out
}

// runAll simulates every run of the grid until limit; noBackOff switches
// CrashLoopBackOff off (for flaky's upper bound).
func runAll(d *drill, k Kubelet, limit time.Duration, noBackOff bool) [][]record {
	ps := grid(k)
	runs := make([][]record, len(ps))
	for i, p := range ps {
		p.noBackOff = noBackOff
		runs[i] = simulate(d, k, p, limit)
	}
	return runs
}
