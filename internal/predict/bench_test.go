package predict

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// benchCase is one prediction the benchmark makes: a catalog scenario up
// front, or a replay conditioned on its observed run.
type benchCase struct {
	s        *scenarios.Scenario
	observed *timeline.Timeline
}

func benchCases(b *testing.B) (upFront, conditioned []benchCase) {
	all, err := scenarios.All()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range all {
		upFront = append(upFront, benchCase{s: s})
	}
	files, err := filepath.Glob("testdata/replays/*.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, file := range files {
		var run struct {
			Scenario string            `json:"scenario"`
			Observed timeline.Timeline `json:"observed"`
		}
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal(data, &run); err != nil {
			b.Fatal(err)
		}
		s, err := scenarios.Get(run.Scenario)
		if err != nil {
			b.Fatal(err)
		}
		conditioned = append(conditioned, benchCase{s: s, observed: &run.Observed})
	}
	return upFront, conditioned
}

// BenchmarkPredict times Predict over the whole catalog (up front) and over
// every replay (conditioned on its observed run, as a drill does each time
// it sees a start or an exit). Each is reported against a baseline measured
// in the same run: one nominal simulation of the same scenario, so the
// ratio (grid-x) is how many simulations' worth a prediction costs, on any
// machine. make bench-predict runs it with allocations.
func BenchmarkPredict(b *testing.B) {
	upFront, conditioned := benchCases(b)
	for _, c := range []struct {
		name  string
		cases []benchCase
	}{{"catalog", upFront}, {"replays", conditioned}} {
		b.Run(c.name, func(b *testing.B) {
			base := nominalTime(b, c.cases)
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				for _, bc := range c.cases {
					var opts []Option
					if bc.observed != nil {
						opts = append(opts, WithObserved(*bc.observed))
					}
					if _, err := Predict(bc.s, Kubelet{}, opts...); err != nil {
						b.Fatal(err)
					}
				}
			}
			per := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(float64(per)/float64(base), "grid-x")
			b.ReportMetric(float64(per.Microseconds())/float64(len(c.cases)), "µs/prediction")
		})
	}
}

// nominalTime is how long one nominal simulation of every case takes (the
// median of 21 rounds), to the horizon Predict uses.
func nominalTime(b *testing.B, cases []benchCase) time.Duration {
	b.Helper()
	k := Kubelet{}.WithDefaults()
	limit := DefaultHorizon + 2*k.MaxContainerRestartPeriod + 2*k.SyncFrequency + time.Minute
	rounds := make([]time.Duration, 21)
	for i := range rounds {
		start := time.Now()
		for _, bc := range cases {
			d, err := resolve(bc.s)
			if err != nil {
				b.Fatal(err)
			}
			var pn pins
			if bc.observed != nil {
				pn = pinsOf(*bc.observed, d.container)
			}
			simulate(d, k, pn, grid(k)[0], limit)
		}
		rounds[i] = time.Since(start)
	}
	slices.Sort(rounds)
	return rounds[len(rounds)/2]
}
