package screen

import (
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// State is how one line of the predicted-vs-observed timeline stands now.
type State int

const (
	Waiting   State = iota // predicted, its window has not opened yet
	Due                    // its window is open (or just closed), not seen yet
	Overdue                // its window closed a while ago and it was not seen
	Seen                   // observed inside its window
	Early                  // observed before its window
	Late                   // observed after its window
	Different              // observed in time with another exit code or reason
	Extra                  // observed, not predicted: a restart, kill, exit or deletion
	Skipped                // predicted as possible (optional), did not happen
)

// watchLag is how long after an entry's true time the watch may deliver it:
// the kubelet writes status and events within a second or two. Until then
// an unseen entry is only due, not overdue.
const watchLag = 3 * time.Second

// Row is one line of the timeline: a predicted entry, its observed
// counterpart, or both.
type Row struct {
	State     State
	Predicted *timeline.Entry
	Observed  *timeline.Entry
	// Off is how far outside the window an early or late observation fell.
	Off time.Duration
}

// Rows lines the predicted entries up with the observed ones as of elapsed.
// The pairing is verdict.Compare's, so the demo and the verdict agree.
func Rows(predicted, observed timeline.Timeline, elapsed time.Duration) []Row {
	res := verdict.Compare(predicted, observed, verdict.Until(elapsed))
	rows := make([]Row, 0, len(res.Lines))
	for _, m := range res.Lines {
		rows = append(rows, row(m, elapsed))
	}
	return rows
}

func row(m verdict.Match, elapsed time.Duration) Row {
	r := Row{Predicted: m.Predicted, Observed: m.Observed, Off: m.Off}
	switch m.Status {
	case verdict.Matched:
		r.State = Seen
	case verdict.Early:
		r.State = Early
	case verdict.Late:
		r.State = Late
	case verdict.Different:
		r.State = Different
	case verdict.Unexpected:
		r.State = Extra
	case verdict.Skipped:
		r.State = Skipped
	case verdict.Open, verdict.Missing:
		r.State = Due
		if elapsed > latest(*m.Predicted)+verdict.Resolution+watchLag {
			r.State = Overdue
		}
	default: // verdict.NotYetDue
		r.State = Waiting
	}
	return r
}

// latest is the end of a predicted entry's window (At when it has none).
func latest(e timeline.Entry) time.Duration { return max(e.Latest, e.At) }

// earliest is the start of a predicted entry's window.
func earliest(e timeline.Entry) time.Duration {
	if e.Earliest == 0 && e.Latest == 0 {
		return e.At
	}
	return e.Earliest
}

// Decided reports whether the row's state can no longer change.
func (r Row) Decided() bool {
	return r.State != Waiting && r.State != Due && r.State != Overdue
}

// OK reports whether the row is as predicted (or not due yet).
func (r Row) OK() bool {
	return r.State == Seen || r.State == Waiting || r.State == Due || r.State == Skipped
}

// entry is the row's representative entry: the observed one if any.
func (r Row) entry() timeline.Entry {
	if r.Observed != nil {
		return *r.Observed
	}
	return *r.Predicted
}
