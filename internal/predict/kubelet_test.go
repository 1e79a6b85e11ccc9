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
