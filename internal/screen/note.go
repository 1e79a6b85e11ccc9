package screen

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// mark is the one-character verdict at the start of a row. final turns an
// entry still missing at the end into a miss.
func mark(r Row, final bool) string {
	switch r.State {
	case Seen:
		return "✓"
	case Early, Late, Extra:
		return "!"
	case Different:
		return "✗"
	case Due:
		return "▸"
	case Overdue:
		if final {
			return "✗"
		}
		return "?"
	}
	return "·"
}

// note says how an observed entry compares with its prediction, e.g.
// "predicted +16s…+19s ✓" or "predicted +16s…+19s, 3s late".
func note(r Row, w words) string {
	if r.Predicted == nil {
		return w.extra + " !"
	}
	p := w.predicted + " " + window(*r.Predicted)
	switch r.State {
	case Seen:
		return p + " ✓"
	case Early:
		return p + w.comma + fmt.Sprintf(w.early, span(r.Off))
	case Late:
		return p + w.comma + fmt.Sprintf(w.late, span(r.Off))
	case Different:
		return fmt.Sprintf("%s %s%s%s ✗", w.predicted, what(*r.Predicted, w), w.comma, w.different)
	}
	return p
}

// status is a row's state in words, for the live screen's last column.
func status(r Row, w words, final bool) string {
	switch r.State {
	case Due:
		return w.due
	case Overdue:
		if final {
			return w.missed
		}
		return w.overdue
	case Waiting:
		if final {
			return w.notReached
		}
		return ""
	case Early:
		return fmt.Sprintf(w.early, span(r.Off))
	case Late:
		return fmt.Sprintf(w.late, span(r.Off))
	case Different:
		return w.different
	case Extra:
		return w.extra
	case Skipped:
		return w.skipped
	}
	return ""
}

// span renders a gap without sign: "3s", "1.5s", "1m10s".
func span(d time.Duration) string {
	return timeline.Offset(d.Abs())[1:]
}
