package observe

import (
	"context"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// A paused virtual machine (its host froze it, or snapshotted it) resumes
// with its monotonic clock where it stopped and its wall clock stepped to
// the present. Measured on a CI-like machine: every kubelet, containerd and
// etcd log line stopped for 19.8 s of wall-clock time, during which etcd's
// own (monotonic) trace of a request counted 2.6 s; every drill running
// across it then saw its kills and restarts ≈17 s "late". The kubelet's
// timers never saw those seconds, so the observer takes them out.

// clockSample is one reading of both clocks.
type clockSample struct {
	wall time.Time     // wall clock, monotonic reading stripped
	mono time.Duration // monotonic clock, since the watch began
}

// minPause is the smallest wall-clock jump counted as a pause: ticks
// delayed by a busy scheduler delay both clocks alike, and NTP slews far
// slower than this.
const minPause = 100 * time.Millisecond

// clockEvery is how often the clocks are read: where a pause began is known
// to within it.
const clockEvery = 100 * time.Millisecond

// wallPause is a pause in wall-clock terms: the wall clock read at when it
// began and jumped by.
type wallPause struct {
	at time.Time
	by time.Duration
}

// pauseBetween reports the pause between two samples, if the wall clock
// moved on more than the monotonic one. Where in the interval it began is
// not known; the middle is at most clockEvery/2 off.
func pauseBetween(prev, cur clockSample) (wallPause, bool) {
	ran := cur.mono - prev.mono
	jump := cur.wall.Sub(prev.wall) - ran
	if jump < minPause {
		return wallPause{}, false
	}
	return wallPause{at: prev.wall.Add(ran / 2), by: jump}, true
}

// watchClock reads both clocks every clockEvery until ctx ends and reports
// each pause.
func watchClock(ctx context.Context, report func(wallPause)) {
	origin := time.Now()
	sample := func() clockSample {
		now := time.Now()
		return clockSample{wall: now.Round(0), mono: now.Sub(origin)}
	}
	tick := time.NewTicker(clockEvery)
	defer tick.Stop()
	prev := sample()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			cur := sample()
			if p, ok := pauseBetween(prev, cur); ok {
				report(p)
			}
			prev = cur
		}
	}
}

// clockFrom is an empty timeline from start with the pauses since then
// (those before start move start and every later time alike): its OffsetOf
// turns the API's timestamps into offsets.
func clockFrom(start time.Time, pauses []wallPause) timeline.Timeline {
	tl := timeline.Timeline{Start: start}
	var paused time.Duration
	for _, p := range pauses {
		if !p.at.Before(start) {
			tl.Pauses = append(tl.Pauses, timeline.Pause{At: p.at.Sub(start) - paused, For: p.by})
			paused += p.by
		}
	}
	return tl
}
