package predict

import (
	"testing"
	"time"
)

func TestKubeletDefaults(t *testing.T) {
	k := Kubelet{MaxContainerRestartPeriod: 20 * time.Second}.WithDefaults()
	d := DefaultKubelet()
	if k.MaxContainerRestartPeriod != 20*time.Second || k.SyncFrequency != d.SyncFrequency || k.FirstStart != d.FirstStart {
		t.Errorf("withDefaults: got %+v", k)
	}
	if err := k.validate(); err != nil {
		t.Error(err)
	}
}

// TestBackOffBounds: kubelet.go newCrashLoopBackOff — a cap below the 10 s
// first delay becomes the first delay too.
func TestBackOffBounds(t *testing.T) {
	for _, c := range []struct{ limit, initial time.Duration }{
		{300 * time.Second, 10 * time.Second}, {20 * time.Second, 10 * time.Second}, {4 * time.Second, 4 * time.Second},
	} {
		if i, l := (Kubelet{MaxContainerRestartPeriod: c.limit}).backOffBounds(); i != c.initial || l != c.limit {
			t.Errorf("cap %v: got %v, %v; want %v, %v", c.limit, i, l, c.initial, c.limit)
		}
	}
}

// Envelope keeps the kubelet's configuration and restores the built-in
// latencies a calibration narrowed.
func TestEnvelopeKeepsTheConfiguration(t *testing.T) {
	k := Kubelet{MaxContainerRestartPeriod: 30 * time.Second, FirstStart: Span{0, time.Second, 2 * time.Second}}
	env := k.Envelope()
	if env.MaxContainerRestartPeriod != 30*time.Second || env.FirstStart != DefaultKubelet().FirstStart {
		t.Errorf("Envelope() = cap %v, FirstStart %+v; want 30s and the default span", env.MaxContainerRestartPeriod, env.FirstStart)
	}
	if d := DefaultKubelet(); d.Envelope() != d {
		t.Errorf("the default kubelet's envelope differs from it")
	}
}
