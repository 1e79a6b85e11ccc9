package predict

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

func TestNextTick(t *testing.T) {
	w := &worker{spec: &probeSpec{period: 10 * time.Second}, base: sec(0.2)}
	for _, c := range []struct{ t, want float64 }{{0.2, 10.2}, {5, 10.2}, {10.2, 20.2}, {10.3, 20.2}} {
		if got := w.nextTick(sec(c.t)); got != sec(c.want) {
			t.Errorf("nextTick(%vs) = %v, want %vs", c.t, got, c.want)
		}
	}
}

// TestProbeTiming: which ticks probe (pkg/kubelet/prober/worker.go). The
// container starts at 1.0 s and the liveness worker ticks at 0.2 + k·period;
// every probe fails from the first (-after 0).
func TestProbeTiming(t *testing.T) {
	cases := []struct {
		name  string
		s     *scenarios.Scenario
		fails []float64 // the first Unhealthy events
		kill  float64
	}{{
		// int(9.2 s) < 10: the tick at 10.2 is skipped; 20.2 probes.
		name: "initialDelaySeconds 10 skips the tick at 10.2", s: scenario("fail-after", 0, "exit", httpProbe("/", 0, 0, 10)),
		fails: []float64{20.2, 30.2, 40.2}, kill: 40.25,
	}, {
		// int(9.2 s) ≥ 9: the seconds are truncated, so 10.2 probes.
		name: "initialDelaySeconds 9 probes at 10.2", s: scenario("fail-after", 0, "exit", httpProbe("/", 0, 0, 9)),
		fails: []float64{10.2, 20.2, 30.2}, kill: 30.25,
	}, {
		// The first tick (0.2) comes before the container: "Probe target
		// container not found"; the first probe is at the next tick.
		name: "no probe before the container runs", s: scenario("fail-after", 0, "exit", httpProbe("/", 5, 3, 0)),
		fails: []float64{5.2, 10.2, 15.2}, kill: 15.25,
	}, {
		// A probe that outlasts the period (timeout 15 s, period 10 s): Go's
		// ticker keeps one tick buffered, so the next probe starts as soon as
		// this one returns (25.2, 40.2, 55.2), not on the 10 s grid.
		name: "a slow probe delays the next", s: with(scenario("hang", 0, "exit", httpProbe("/", 10, 3, 0)), func(s *scenarios.Scenario) {
			s.Pod.LivenessProbe.TimeoutSeconds = 15
		}),
		fails: []float64{25.2, 40.2, 55.2}, kill: 55.25,
	}, {
		// failureThreshold 1: the first failure kills.
		name: "failureThreshold 1", s: scenario("fail-after", 0, "exit", httpProbe("/", 0, 1, 0)),
		fails: []float64{10.2}, kill: 10.25,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Predict(c.s, Kubelet{}, WithHorizon(2*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range c.fails {
				checkAt(t, p.Timeline, at{kind: timeline.ProbeFailed, inst: 0, sec: f})
			}
			checkAt(t, p.Timeline, at{kind: timeline.Killing, inst: 0, sec: c.kill})
		})
	}
}

// TestWorkerSurvivesRestarts: the liveness worker keeps its phase across
// containers (one worker per pod and probe, prober_manager.go AddPod), and
// holds after a kill until it sees the new container ID.
func TestWorkerSurvivesRestarts(t *testing.T) {
	p, err := Predict(scenario("fail-after", 0, "exit", httpProbe("/", 0, 0, 0)), Kubelet{}, WithHorizon(3*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// Container 1 starts at 31.05 and shows at 31.55; the ticks stay on
	// 0.2 + 10k, so its probes fail at 40.2, 50.2, 60.2.
	for _, f := range []float64{40.2, 50.2, 60.2} {
		checkAt(t, p.Timeline, at{kind: timeline.ProbeFailed, inst: 1, sec: f})
	}
	per := map[int]int{}
	for _, e := range p.Timeline.Of(timeline.ProbeFailed) {
		per[e.Instance]++
	}
	for inst, n := range per {
		if n > 3 {
			t.Errorf("container %d: %d Unhealthy events; a held worker must not probe the killed container again", inst, n)
		}
	}
}
