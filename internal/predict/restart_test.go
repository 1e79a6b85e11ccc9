package predict

import "testing"

// TestRequeue: when a backing-off pod worker syncs again
// (pod_workers.go completeWork): never before the back-off ends, and at
// most half of the remaining wait (capped by syncFrequency) plus a tick later.
func TestRequeue(t *testing.T) {
	k := DefaultKubelet()
	cases := []struct {
		mode        releaseMode
		now, expiry float64
		want        float64
	}{
		{releaseAtExpiry, 100, 260, 260},
		{releaseLatest, 100, 260, 260 + 30 + 1}, // 60 s cap × 0.5 + tick
		{releaseLatest, 100, 120, 120 + 10 + 1},
		{releaseChain, 100, 260, 100 + 75 + 0.5}, // 60 s × 1.25 + half a tick
		{releaseChain, 100, 108, 100 + 10 + 0.5},
	}
	for _, c := range cases {
		s := &sim{k: k, p: params{release: c.mode}}
		if got := s.requeue(sec(c.now), sec(c.expiry)); got != sec(c.want) {
			t.Errorf("mode %d, now %v, expiry %v: got %v, want %vs", c.mode, c.now, c.expiry, got, c.want)
		}
	}
}
