package verdict

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/probedrill/probedrill/internal/timeline"
)

// String renders the comparison for a projector or a CI log: one row per
// entry with the predicted window and the observed time side by side, then
// the mismatches in full sentences.
func (r Result) String() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "\tpredicted\tobserved")
	for _, m := range r.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Label, predictedCell(m), observedCell(m), verdictCell(m))
	}
	tw.Flush()
	for _, p := range r.Pauses {
		fmt.Fprintf(&b, "note: %s\n", p)
	}
	bad := r.Mismatches()
	if len(bad) == 0 {
		fmt.Fprintf(&b, "all %d as predicted\n", r.Matched)
		return b.String()
	}
	fmt.Fprintf(&b, "%d of %d not as predicted:\n", len(bad), len(r.Lines))
	for _, m := range bad {
		fmt.Fprintf(&b, "  - %s\n", m.Text)
	}
	return b.String()
}

func predictedCell(m Match) string {
	if m.Predicted == nil {
		return "-"
	}
	return window(*m.Predicted)
}

func observedCell(m Match) string {
	if m.Observed == nil {
		return "-"
	}
	return timeline.Offset(m.Observed.At)
}

// verdictCell says how the line fared; an exit also shows its code and
// reason, which is what a teacher points at.
func verdictCell(m Match) string {
	v := statusWords(m)
	if o := m.Observed; o != nil && o.Kind == timeline.Terminated {
		v += ", exit " + exitWords(*o)
	}
	return v
}

func statusWords(m Match) string {
	switch m.Status {
	case Matched:
		return "ok"
	case Early, Late:
		return seconds(m.Off) + " " + string(m.Status)
	case Missing:
		return "not observed"
	case Unexpected:
		return "not predicted"
	case NotYetDue:
		return "not yet due"
	case Open:
		return "not seen yet"
	case Unrecorded:
		return "unseen (not recorded)"
	case Skipped:
		return "did not happen (possible)"
	}
	return string(m.Status)
}
