package observe

import (
	"context"
	"sync"
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

// clockWatch reads both clocks to notice pauses: every clockEvery, and
// whenever the observer is about to use the time (check), so that no
// snapshot taken right after a pause counts it before the watch has.
type clockWatch struct {
	mu     sync.Mutex
	origin time.Time
	prev   clockSample
}

func newClockWatch() *clockWatch {
	c := &clockWatch{origin: time.Now()}
	c.prev = c.read()
	return c
}

func (c *clockWatch) read() clockSample {
	now := time.Now()
	return clockSample{wall: now.Round(0), mono: now.Sub(c.origin)}
}

// check reads both clocks and returns the pause since the last reading, if
// there was one.
func (c *clockWatch) check() (wallPause, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cur := c.read()
	p, ok := pauseBetween(c.prev, cur)
	c.prev = cur
	return p, ok
}

// run checks every clockEvery until ctx ends and reports each pause.
func (c *clockWatch) run(ctx context.Context, report func(wallPause)) {
	tick := time.NewTicker(clockEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if p, ok := c.check(); ok {
				report(p)
			}
		}
	}
}

// clockFrom is an empty timeline from start with the pauses since then
// (those before start move start and every later time alike): its OffsetOf
// turns the API's timestamps into offsets.
func clockFrom(start time.Time, pauses []wallPause) timeline.Timeline {
	tl := timeline.Timeline{Start: start}
	for _, p := range pauses {
		if !p.at.Before(start) {
			tl.Pauses = append(tl.Pauses, timeline.Pause{At: tl.OffsetOf(p.at), For: p.by})
		}
	}
	return tl
}
