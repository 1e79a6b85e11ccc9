package demo

import (
	"context"
	"time"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/screen"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// startupSlack is how long past its end a watch waits for a pod that never
// appeared (scheduling or admission trouble) before giving up.
const startupSlack = 30 * time.Second

// refresh is how often the screen is redrawn when nothing changes: the
// clock and the events' ages move.
const refresh = time.Second

// watch follows a started drill. It is drill.Wait's loop, extended: Wait
// ends as soon as every expectation is decided, while a demo with --for
// keeps watching (a teacher may want the back-off to grow), and the screen
// needs a snapshot on every tick, not only on changes.
type watch struct {
	d *drill.Drill
	// end is the offset from the pod's creation at which watching stops.
	end time.Duration
	// untilSettled stops as soon as every expectation is decided.
	untilSettled bool
}

func newWatch(d *drill.Drill, forD time.Duration) watch {
	if forD > 0 {
		return watch{d: d, end: forD}
	}
	return watch{d: d, end: d.Deadline, untilSettled: true}
}

// predicted is what the screen ticks off: the entries the drill is judged
// against, or with --for every entry whose window opens in time.
func (w watch) predicted() timeline.Timeline {
	if w.untilSettled {
		return w.d.Predicted()
	}
	out := timeline.Timeline{}
	for _, e := range w.d.Prediction.Timeline.Entries {
		if e.Earliest <= w.end {
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}

// outcome is how a watch ended.
type outcome struct {
	snap     screen.Snapshot
	findings []verdict.Finding
	// stopped: ended before every expectation could be decided (q, Ctrl-C,
	// or a --for shorter than the drill).
	stopped bool
}

// linger is how long a watch goes on once every expectation is decided,
// while a predicted entry is due right now: the verdict often settles on an
// event a second before the pod status shows the same moment (the exit,
// CrashLoopBackOff), and the class should see both.
const linger = 10 * time.Second

// follow publishes a snapshot on every change and every refresh until the
// watch is over or ctx is cancelled.
func (w watch) follow(ctx context.Context, publish func(screen.Snapshot)) outcome {
	tick := time.NewTicker(refresh)
	defer tick.Stop()
	settledAt := time.Duration(-1)
	for {
		fs := w.d.Findings(ctx, false)
		snap := w.snapshot()
		publish(snap)
		if settledAt < 0 && snap.Elapsed > 0 && drill.Settled(fs) {
			settledAt = snap.Elapsed
		}
		if w.over(snap, settledAt) {
			return w.outcome(ctx, snap, fs)
		}
		select {
		case <-ctx.Done():
			return outcome{snap: w.snapshot(), findings: fs, stopped: true}
		case _, open := <-w.d.Observer().Changes():
			if !open {
				return w.outcome(ctx, w.snapshot(), fs)
			}
		case <-tick.C:
		}
	}
}

// over reports whether the watch has seen enough: its end, or (without
// --for) every expectation decided and nothing due any more.
func (w watch) over(snap screen.Snapshot, settledAt time.Duration) bool {
	switch {
	case snap.Elapsed >= w.end, time.Since(w.d.Started) >= w.end+startupSlack:
		return true
	case !w.untilSettled || settledAt < 0:
		return false
	}
	return snap.Elapsed >= settledAt+linger || !screen.AnyDue(screen.Rows(w.predicted(), snap.Observed, snap.Elapsed))
}

// outcome judges the end: past the drill's deadline (or settled) what is
// pending has failed; before it, it is only undecided.
func (w watch) outcome(ctx context.Context, snap screen.Snapshot, fs []verdict.Finding) outcome {
	if drill.Settled(fs) || snap.Elapsed >= w.d.Deadline {
		return outcome{snap: snap, findings: w.d.Findings(ctx, true)}
	}
	return outcome{snap: snap, findings: fs, stopped: true}
}

func (w watch) snapshot() screen.Snapshot {
	o := w.d.Observer()
	return screen.Snapshot{Elapsed: o.Elapsed(), Observed: o.Timeline(), Events: o.Events(), Pod: o.Pod(), Now: time.Now()}
}
