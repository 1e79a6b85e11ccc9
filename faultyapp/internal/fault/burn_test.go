package fault

import (
	"testing"
	"time"
)

func TestBurnUsesCPUTime(t *testing.T) {
	wall := Burn(20 * time.Millisecond)
	// CPU time can never exceed the wall time it took; if Burn returned
	// early, wall would be shorter than the cost.
	if wall < 20*time.Millisecond {
		t.Errorf("Burn(20ms) took %v of wall time", wall)
	}
}
