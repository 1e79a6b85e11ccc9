package observe

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/probedrill/probedrill/internal/timeline"
)

func TestPauseBetween(t *testing.T) {
	prev := clockSample{wall: t0, mono: sec(50)}
	cases := []struct {
		name     string
		cur      clockSample
		want     wallPause
		isPaused bool
	}{
		// the CI run of 2026-12-03: 19.8 s of wall clock, 2.6 s of monotonic
		{"a frozen VM", clockSample{wall: t0.Add(19800 * time.Millisecond), mono: sec(50) + 2600*time.Millisecond},
			wallPause{at: t0.Add(1300 * time.Millisecond), by: 17200 * time.Millisecond}, true},
		{"a late tick moves both clocks", clockSample{wall: t0.Add(sec(5)), mono: sec(55)}, wallPause{}, false},
		{"less than minPause", clockSample{wall: t0.Add(150 * time.Millisecond), mono: sec(50) + 100*time.Millisecond}, wallPause{}, false},
		{"a clock stepped back", clockSample{wall: t0.Add(-sec(3)), mono: sec(50) + 100*time.Millisecond}, wallPause{}, false},
	}
	for _, c := range cases {
		got, ok := pauseBetween(prev, c.cur)
		if ok != c.isPaused || !got.at.Equal(c.want.at) || got.by != c.want.by {
			t.Errorf("%s: got %v %v, want %v %v", c.name, got, ok, c.want, c.isPaused)
		}
	}
}

// A pause of 17 s beginning at +100 s of the seed drill: what the API
// stamped after it is 17 s less far from the pod's creation on the
// kubelet's clock, what fell inside it counts as its beginning, and what
// came before it does not move.
func TestTimelineLeavesPausesOut(t *testing.T) {
	pods, events := seedHistory()
	s := newState(target{namespace: ns, name: podName}, fixedNow)
	feedAll(s, pods, events)
	s.pauses = []wallPause{
		{at: t0.Add(-sec(30)), by: sec(9)},  // before the pod: moves nothing
		{at: t0.Add(sec(100)), by: sec(17)}, // the one that counts
	}
	wantAt := map[time.Duration]time.Duration{140: 123, 150: 133, 160: 143, 161: 144, 175: 158, 177: 160}
	var want []timeline.Entry
	for _, e := range seedTimeline() {
		if at, moved := wantAt[e.At/time.Second]; moved {
			e.At, e.Earliest, e.Latest = sec(int(at)), sec(int(at)), sec(int(at))
		}
		want = append(want, e)
	}
	got := s.timeline()
	if diff := cmp.Diff(want, got.Entries); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(timeline.Pauses{{At: sec(100), For: sec(17)}}, got.Pauses); diff != "" {
		t.Errorf("pauses (-want +got):\n%s", diff)
	}
	if d := got.OffsetOf(t0.Add(sec(110))); d != sec(100) {
		t.Errorf("a time inside the pause is at %s, want its beginning +1m40s", d)
	}
	if d := got.OffsetOf(fixedNow()); d != sec(583) {
		t.Errorf("elapsed %s, want 600 s less the 17-s pause", d)
	}
}

// A clock watch reports nothing while the machine runs normally.
func TestClockWatchQuiet(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*clockEvery)
	defer cancel()
	c := newClockWatch()
	var got []wallPause
	c.run(ctx, func(p wallPause) { got = append(got, p) })
	if p, paused := c.check(); paused {
		got = append(got, p)
	}
	if len(got) > 0 {
		t.Errorf("pauses reported on a running machine: %v", got)
	}
}
