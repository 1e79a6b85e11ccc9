package predict

import (
	"container/heap"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// TestMeasuredRuns reproduces the two runs measured on a probedrill kind
// cluster (v1.37.2, containerd 2.3.4; docs/kubelet-facts.md, "Measured"), with
// faultyapp exiting at SIGTERM. Times are from pod creation, read from the
// API with one-second resolution.
//
// What the kubelet does in both (kuberuntime_manager.go SyncPod/doBackOff):
// a liveness kill and the restart happen in one sync, and doBackOff checks
// the back-off against the FinishedAt of the instance *before* the killed
// one, found in the status taken before the kill. So restart 1 finds no
// exited container (no back-off at all), restart 2 finds no back-off entry
// yet (Next sets 10 s), and restart k ≥ 3 waits only if 10 s·2^(k−3)
// exceeds the time since that earlier exit, i.e. one container lifetime.
// When it does wait, later syncs compare against the killed instance's own
// exit, so the restart comes one back-off after the kill, plus the pod
// worker's requeue jitter.
func TestMeasuredRuns(t *testing.T) {
	cases := []struct {
		name     string
		period   int32
		delay    int32
		restarts []float64 // Started of instances 1, 2, … before the hold-back
		backOff  string    // the waiting message's delay at the first hold-back
		heldAt   float64   // when CrashLoopBackOff was seen
		nextAt   float64   // the start after the hold-back
	}{{
		// Seed settings: period 10, threshold 3. Probes at ~10 … 50 pass,
		// 60, 70, 80 fail; each container lives 80 s. Restart 6 is a
		// near-tie (back-off 80 s vs 80 s since the previous exit) that went
		// through; restart 7 meets a 160 s back-off.
		name: "seed settings", period: 10,
		restarts: []float64{81, 161, 241, 321, 401, 481},
		backOff:  "back-off 2m40s", heldAt: 560, nextAt: 560 + 163,
	}, {
		// Short settings: period 2, initialDelay 1; each container lives
		// 16 s, so the 20 s back-off of restart 4 is the first to hold.
		name: "short settings", period: 2, delay: 1,
		restarts: []float64{17, 33, 49},
		backOff:  "back-off 20s", heldAt: 65, nextAt: 65 + 24,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Predict(scenario("fail-after", 5, "exit", httpProbe("/", c.period, 3, c.delay)), Kubelet{})
			if err != nil {
				t.Fatal(err)
			}
			starts := p.Timeline.Of(timeline.Started)
			for i, m := range c.restarts {
				checkMeasured(t, "restart "+ordinal(i+1), starts[i+1], m)
			}
			held := p.Timeline.Of(timeline.BackOff)
			if len(held) == 0 || !strings.HasPrefix(held[0].Message, c.backOff+" ") {
				t.Fatalf("first hold-back: got %v, want %q", held, c.backOff)
			}
			checkMeasured(t, "CrashLoopBackOff", held[0], c.heldAt)
			checkMeasured(t, "start after the hold-back", starts[len(c.restarts)+1], c.nextAt)
		})
	}
}

// apiResolution: measured offsets are differences of two whole-second API
// timestamps, so each is within a second of the true offset.
const apiResolution = time.Second

// checkMeasured: the measured time must fall in the window (give or take the
// API's resolution), and the nominal time must be within 1.5 s of it.
func checkMeasured(t *testing.T, what string, e timeline.Entry, measured float64) {
	t.Helper()
	m := sec(measured)
	inside := m >= e.Earliest-apiResolution && m <= e.Latest+apiResolution
	if !inside || absDur(e.At-m) > 1500*time.Millisecond {
		t.Errorf("%s: predicted %v [%v, %v], measured %v", what, e.At, e.Earliest, e.Latest, m)
	}
}

// TestMeasuredSeedEvents: when the 8th container started (t=723) the run
// had recorded Unhealthy ×21, Killing ×6 and BackOff ×4. The kubelet's event
// spam filter explains the Killing count (events.go): 7 starts × Pulled,
// Created, Started plus 6 Killing spent the Normal budget of 25 (+ refill)
// before the 7th kill. The BackOff count is the number of syncs that found
// the back-off running: the kill's own, the PLEG's, then the pod worker's
// requeues at ~75 s (60 s capped, ×1.25 mean jitter) until 720 s.
func TestMeasuredSeedEvents(t *testing.T) {
	s := scenario("fail-after", 5, "exit", httpProbe("/", 10, 3, 0))
	p, err := Predict(s, Kubelet{})
	if err != nil {
		t.Fatal(err)
	}
	count := func(k timeline.Kind) int {
		n := 0
		for _, e := range p.Timeline.Of(k) {
			if e.At <= sec(723) {
				n++
			}
		}
		return n
	}
	if u, k := count(timeline.ProbeFailed), count(timeline.Killing); u != 21 || k != 6 {
		t.Errorf("by t=723: Unhealthy ×%d, Killing ×%d; measured ×21, ×6", u, k)
	}
	d, _ := resolve(s)
	sm := newSim(d, DefaultKubelet(), pins{}, grid(DefaultKubelet())[0])
	for sm.q.Len() > 0 && sm.q[0].at <= sec(723) {
		sm.handle(heap.Pop(&sm.q).(*event))
	}
	if n := sm.holds[6]; n != 4 {
		t.Errorf("BackOff events before restart 7: %d, measured 4", n)
	}
	checkMeasured(t, "first Unhealthy", p.Timeline.Of(timeline.ProbeFailed)[0], 60)
	checkMeasured(t, "first Killing", p.Timeline.Of(timeline.Killing)[0], 80)
	checkMeasured(t, "first start", p.Timeline.Of(timeline.Started)[0], 1)
}
