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
// ends when the drill is over (drill.Progress), while a demo with --for
// keeps watching (a teacher may want the back-off to grow), and the screen
// needs a snapshot on every tick, not only on changes.
type watch struct {
	d *drill.Drill
	// end is the offset from the pod's creation at which watching stops.
	end time.Duration
	// untilSettled stops as soon as the drill is over (drill.Progress).
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

// follow publishes a snapshot on every change and every refresh until the
// watch is over or ctx is cancelled.
func (w watch) follow(ctx context.Context, publish func(screen.Snapshot)) outcome {
	tick := time.NewTicker(refresh)
	defer tick.Stop()
	for {
		progress := w.d.Progress(ctx)
		snap := w.snapshot()
		publish(snap)
		if w.over(snap.Elapsed, progress.Over) {
			return w.outcome(ctx, snap, progress.Findings)
		}
		select {
		case <-ctx.Done():
			return outcome{snap: w.snapshot(), findings: progress.Findings, stopped: true}
		case _, open := <-w.d.Observer().Changes():
			if !open {
				return w.outcome(ctx, w.snapshot(), progress.Findings)
			}
		case <-tick.C:
		}
	}
}

// over reports whether the watch has seen enough: its end, or (without
// --for) the drill is over — every expectation decided and every expected
// entry seen or past its window (drill.Progress), so the class sees the
// exit and CrashLoopBackOff in the pod status, not only in the events.
func (w watch) over(elapsed time.Duration, drillOver bool) bool {
	if elapsed >= w.end || time.Since(w.d.Started) >= w.end+startupSlack {
		return true
	}
	return w.untilSettled && drillOver
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
	snap := screen.Snapshot{Elapsed: o.Elapsed(), Observed: o.Timeline(), Events: o.Events(), Pod: o.Pod(), Now: time.Now()}
	if w.untilSettled {
		// The windows narrow as each step is seen (drill.Expected).
		expected := w.d.Expected(snap.Observed)
		snap.Expected = &expected
	}
	return snap
}
