package predict

import (
	"testing"
	"time"
)

// TestSpamFilter: 25 events pass at once, then one per 5 minutes
// (client-go tools/record/events_cache.go defaultSpamBurst, defaultSpamQPS).
func TestSpamFilter(t *testing.T) {
	var b tokenBucket
	for i := 1; i <= spamBurst; i++ {
		ok, first := b.take(time.Second)
		if !ok || first != (i == spamBurst) {
			t.Fatalf("event %d: ok %v, first-empty %v", i, ok, first)
		}
	}
	if ok, _ := b.take(2 * time.Second); ok {
		t.Errorf("the 26th event passed the filter")
	}
	if ok, _ := b.take(time.Second + spamEvery); !ok {
		t.Errorf("no event passed 5 minutes later")
	}
	if ok, first := b.take(time.Second + spamEvery); ok || first {
		t.Errorf("a second event passed in the same 5 minutes (or was flagged first-empty again)")
	}
}
