package timeline

import (
	"testing"
	"time"
)

func TestAddKeepsOrderAndRestartsCountsStarts(t *testing.T) {
	var tl Timeline
	tl.Add(Entry{Kind: Started, At: 81 * time.Second, Instance: 1})
	tl.Add(Entry{Kind: Started, At: time.Second, Instance: 0})
	tl.Add(Entry{Kind: Killing, At: 80 * time.Second, Instance: 0})
	tl.Add(Entry{Kind: Started, At: 161 * time.Second, Instance: 2})

	var got []time.Duration
	for _, e := range tl.Entries {
		got = append(got, e.At)
	}
	want := []time.Duration{time.Second, 80 * time.Second, 81 * time.Second, 161 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order: got %v, want %v", got, want)
		}
	}
	cases := []struct {
		at   time.Duration
		want int
	}{{0, 0}, {80 * time.Second, 0}, {81 * time.Second, 1}, {200 * time.Second, 2}}
	for _, c := range cases {
		if n := tl.Restarts(c.at); n != c.want {
			t.Errorf("Restarts(%v) = %d, want %d", c.at, n, c.want)
		}
	}
	if n := len(tl.Of(Killing)); n != 1 {
		t.Errorf("Of(Killing) has %d entries, want 1", n)
	}
}

func TestOffsetAndWithin(t *testing.T) {
	cases := map[time.Duration]string{
		80*time.Second + 400*time.Millisecond: "+1m20s",
		1500 * time.Millisecond:               "+1.5s",
		-12 * time.Second:                     "-12s",
	}
	for d, want := range cases {
		if got := Offset(d); got != want {
			t.Errorf("Offset(%v) = %q, want %q", d, got, want)
		}
	}
	e := Entry{Earliest: 10 * time.Second, Latest: 20 * time.Second}
	if !e.Within(10*time.Second) || !e.Within(20*time.Second) || e.Within(21*time.Second) {
		t.Errorf("Within does not honour the closed window [10s, 20s]")
	}
}

// Two pauses: 5 s at +10s, then 3 s at +20s of the paused clock (+25s of
// the wall clock, the first pause being behind it).
func TestOffsetOfLeavesPausesOut(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 15, 14, 0, 0, time.UTC)
	tl := Timeline{Start: t0, Pauses: []Pause{{At: 10 * time.Second, For: 5 * time.Second}, {At: 20 * time.Second, For: 3 * time.Second}}}
	for wall, want := range map[int]int{5: 5, 10: 10, 12: 10, 16: 11, 25: 20, 26: 20, 30: 22} {
		if got := tl.OffsetOf(t0.Add(time.Duration(wall) * time.Second)); got != time.Duration(want)*time.Second {
			t.Errorf("wall +%ds: offset %s, want %ds", wall, got, want)
		}
	}
}

// Wall undoes Offset for every time outside a pause.
func TestPausesWallUndoesOffset(t *testing.T) {
	ps := Pauses{{At: 10 * time.Second, For: 5 * time.Second}, {At: 20 * time.Second, For: 3 * time.Second}}
	for _, off := range []int{0, 5, 10, 11, 20, 21, 40} {
		d := time.Duration(off) * time.Second
		if got := ps.Offset(ps.Wall(d)); got != d {
			t.Errorf("Offset(Wall(%s)) = %s", d, got)
		}
	}
}

// The kubelet's waiting message states the back-off; its BackOff event
// does not.
func TestStatedBackOff(t *testing.T) {
	for msg, want := range map[string]string{
		"back-off 2m40s restarting failed container=faultyapp pod=p_ns(uid)": "2m40s",
		"back-off 10s restarting failed container=test2 pod=p_ns(uid)":       "10s",
		"Back-off restarting failed container faultyapp in pod p_ns(uid)":    "",
		"": "",
	} {
		if got := (Entry{Kind: BackOff, Message: msg}).StatedBackOff(); got != want {
			t.Errorf("%q: %q, want %q", msg, got, want)
		}
	}
}

// TestMayStateOtherBackOff: a hold-back may state one of its cause's
// other back-offs, in the kubelet's Go duration format, and nothing else.
func TestMayStateOtherBackOff(t *testing.T) {
	e := Entry{Kind: BackOff, Cause: &Cause{Code: CauseCrashLoopBackOff, BackOff: 40 * time.Second,
		OtherBackOffs: []time.Duration{10 * time.Second, 20 * time.Second}}}
	for stated, want := range map[string]bool{"20s": true, "10s": true, "40s": false, "20": false, "": false} {
		if got := e.MayStateOtherBackOff(stated); got != want {
			t.Errorf("%q: %v, want %v", stated, got, want)
		}
	}
	if (Entry{Kind: BackOff}).MayStateOtherBackOff("20s") {
		t.Error("an entry without a cause allows no other back-off")
	}
}
