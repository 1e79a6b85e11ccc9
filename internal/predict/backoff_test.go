package predict

import (
	"testing"
	"time"
)

// TestBackOff drives the kubelet's CrashLoopBackOff entry through the calls
// doBackOff makes (kuberuntime_manager.go: IsInBackOffSince, then Next when
// the start goes ahead) and checks the delays flowcontrol.Backoff produces.
func TestBackOff(t *testing.T) {
	type step struct {
		finished, now time.Duration // FinishedAt of the newest exited container; the sync's time
		wantHeld      bool
		wantDelay     time.Duration // entry.backoff after the step
	}
	cases := []struct {
		name  string
		limit time.Duration
		steps []step
	}{{
		// A container crashing at once: held 10, 20, 40 … s, capped at 300 s.
		name: "crash loop doubles to the cap", limit: 300 * time.Second,
		steps: []step{
			{finished: 0, now: 1 * time.Second, wantDelay: 10 * time.Second}, // no entry: start, Next → 10 s
			{finished: 5 * time.Second, now: 6 * time.Second, wantHeld: true, wantDelay: 10 * time.Second},
			{finished: 5 * time.Second, now: 15 * time.Second, wantDelay: 20 * time.Second}, // 10 s passed: start, Next → 20 s
			{finished: 20 * time.Second, now: 39 * time.Second, wantHeld: true, wantDelay: 20 * time.Second},
			{finished: 20 * time.Second, now: 40 * time.Second, wantDelay: 40 * time.Second},
		},
	}, {
		// Liveness kills: the kill's sync checks the instance before, a whole
		// lifetime (80 s) ago, so only a back-off above 80 s holds it.
		name: "liveness kills 80 s apart", limit: 300 * time.Second,
		steps: []step{
			{finished: 80 * time.Second, now: 160 * time.Second, wantDelay: 10 * time.Second},
			{finished: 160 * time.Second, now: 240 * time.Second, wantDelay: 20 * time.Second},
			{finished: 240 * time.Second, now: 320 * time.Second, wantDelay: 40 * time.Second},
			{finished: 320 * time.Second, now: 400 * time.Second, wantDelay: 80 * time.Second},
			{finished: 400 * time.Second, now: 480 * time.Second, wantDelay: 160 * time.Second}, // 80 s is not < 80 s
			{finished: 480 * time.Second, now: 560 * time.Second, wantHeld: true, wantDelay: 160 * time.Second},
		},
	}, {
		// KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod 5s:
		// the cap is below 10 s, so it is also the first delay.
		name: "cap below the initial delay", limit: 5 * time.Second,
		steps: []step{
			{finished: 0, now: 1 * time.Second, wantDelay: 5 * time.Second},
			{finished: 2 * time.Second, now: 3 * time.Second, wantHeld: true, wantDelay: 5 * time.Second},
			{finished: 2 * time.Second, now: 7 * time.Second, wantDelay: 5 * time.Second},
		},
	}, {
		// A container that ran more than 10 minutes since its start: the
		// housekeeping GC forgets the entry, so the back-off starts again.
		name: "reset after 10 minutes", limit: 300 * time.Second,
		steps: []step{
			{finished: 0, now: 1 * time.Second, wantDelay: 10 * time.Second},
			{finished: 5 * time.Second, now: 16 * time.Second, wantDelay: 20 * time.Second},
			{finished: 700 * time.Second, now: 701 * time.Second, wantDelay: 10 * time.Second},
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := DefaultKubelet()
			k.MaxContainerRestartPeriod = c.limit
			b := newBackOff(k)
			for i, s := range c.steps {
				b.gc(s.now)
				held := b.inBackOffSince(s.finished, s.now, 0)
				if !held {
					b.next(s.finished, s.now)
				}
				if held != s.wantHeld || b.delay != s.wantDelay {
					t.Errorf("step %d: held %v, delay %v; want held %v, delay %v", i, held, b.delay, s.wantHeld, s.wantDelay)
				}
			}
		})
	}
}
