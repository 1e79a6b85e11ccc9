package screen

import (
	"fmt"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/observe"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// Ending is how a demo ended.
type Ending struct {
	// Findings are the scenario's expectations, judged at the end.
	Findings []verdict.Finding
	// Stopped says the user stopped the demo (q, Ctrl-C) before it was
	// over: pending findings are undecided, not failed.
	Stopped bool
	// Kept says the namespace was left for the kubectl commands.
	Kept bool
	// CleanupErr is set when deleting the namespace failed.
	CleanupErr error
}

// Summary is what a demo prints when it ends: the pod's events exactly as
// `kubectl describe pod` shows them (when withEvents; the live screen has
// shown them already), the timeline's mismatches, the verdict, the kubectl
// commands a student can type, and what became of the namespace. Sentences
// are wrapped to width.
func Summary(show Show, snap Snapshot, end Ending, withEvents bool, width int) string {
	var b strings.Builder
	if withEvents {
		fmt.Fprintf(&b, "\n%s", observe.FormatEvents(snap.Events, snap.Now))
	}
	w := show.words()
	b.WriteString("\n" + timelineSummary(show, show.rows(snap), w.timelineOK, w.timelineBad, width))
	if snap.Expected != nil {
		// The rows above were judged against the prediction conditioned on
		// what was seen; this is the promise made before the pod existed,
		// of which the demo saw as much as it watched.
		upFront := snap
		upFront.Expected = nil
		b.WriteString(timelineSummary(show, watched(show.rows(upFront)), w.upFrontOK, w.upFrontBad, width))
	}
	b.WriteString(pauses(show, snap, width))
	b.WriteString("\n" + verdictSummary(show, snap, end, width))
	b.WriteString("\n" + hints(show, snap))
	b.WriteString("\n" + namespaceLine(show, end) + "\n")
	return b.String()
}

// timelineSummary counts the rows and lists those not as predicted, in
// the words ok or bad (each takes %d of %d).
func timelineSummary(show Show, rows []Row, ok, bad string, width int) string {
	w := show.words()
	var missed [][]string
	seen, total := 0, 0
	for _, r := range rows {
		switch r.State {
		case Seen:
			seen++
		case Skipped:
			continue // a possibility that did not come: not a prediction missed
		}
		total++
		if !r.OK() {
			e := r.entry()
			missed = append(missed, []string{mark(r, true), label(e), finalNote(r, w)})
		}
	}
	if len(missed) == 0 {
		return fmt.Sprintf(ok, seen, total) + "\n"
	}
	return fmt.Sprintf(bad, len(missed), total) + "\n" + indent(tableWrapped(missed, 2, width-2), "  ")
}

// watched drops the rows whose window was still open, or not yet open,
// when the demo ended: an up-front window reaches further than the
// conditioned one the demo waits for.
func watched(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if r.State != Waiting && r.State != Due {
			out = append(out, r)
		}
	}
	return out
}

// pauses says when the machine was paused, a line each.
func pauses(show Show, snap Snapshot, width int) string {
	var out string
	paused := show.words().paused
	for _, p := range snap.Observed.Pauses {
		out += wrap(fmt.Sprintf(paused, p.For.Round(100*time.Millisecond), timeline.Offset(p.At)), width) + "\n"
	}
	return out
}

// finalNote says how a row that is not as predicted ended.
func finalNote(r Row, w words) string {
	if r.Observed == nil {
		return fmt.Sprintf("%s %s%s%s", w.predicted, window(*r.Predicted), w.colon, status(r, w, true))
	}
	return fmt.Sprintf("%s %s%s%s", w.observed, timeline.Offset(r.Observed.At), w.colon, note(r, w))
}

// verdictSummary is the verdict line and one line per finding.
func verdictSummary(show Show, snap Snapshot, end Ending, width int) string {
	w := show.words()
	fs := end.Findings
	failed, decided := 0, 0
	var rows [][]string
	for _, f := range fs {
		if show.Lang == predict.Chinese {
			f = f.Chinese()
		}
		if f.Outcome != verdict.Pending {
			decided++
		}
		if f.Outcome == verdict.Fail {
			failed++
		}
		rows = append(rows, []string{findingMark(f), f.Expect + w.colon + f.Why})
	}
	var head string
	switch {
	case end.Stopped && decided < len(fs):
		head = fmt.Sprintf(w.stopped, timeline.Offset(snap.Elapsed), decided, len(fs))
	case failed > 0:
		head = fmt.Sprintf(w.someUnmet, failed, len(fs))
	default:
		head = fmt.Sprintf(w.allMet, len(fs))
	}
	return fmt.Sprintf("%s%s\n%s", w.verdict, head, indent(tableWrapped(rows, 1, width-2), "  "))
}

func findingMark(f verdict.Finding) string {
	switch f.Outcome {
	case verdict.Pass:
		return "✓"
	case verdict.Fail:
		return "✗"
	}
	return "·"
}

// hints are the kubectl commands that show a student the same story.
func hints(show Show, snap Snapshot) string {
	w := show.words()
	ns, pod := show.Namespace, show.podName(snap)
	var b strings.Builder
	b.WriteString(w.seeYourself + "\n")
	for _, h := range [][2]string{
		{w.hintWatch, fmt.Sprintf("kubectl -n %s get pod %s -w", ns, pod)},
		{w.hintDescribe, fmt.Sprintf("kubectl -n %s describe pod %s", ns, pod)},
		{w.hintLogs, fmt.Sprintf("kubectl -n %s logs %s --previous", ns, pod)},
		{w.hintEvents, fmt.Sprintf("kubectl -n %s get events --field-selector involvedObject.name=%s", ns, pod)},
	} {
		fmt.Fprintf(&b, "  # %s\n  %s\n", h[0], h[1])
	}
	return b.String()
}

// namespaceLine says whether the namespace is gone, kept, or left behind.
func namespaceLine(show Show, end Ending) string {
	w, ns := show.words(), show.Namespace
	switch {
	case end.CleanupErr != nil:
		return fmt.Sprintf(w.cleanupFailed, ns, ns)
	case end.Kept:
		return fmt.Sprintf(w.keptNS, ns, ns)
	}
	return fmt.Sprintf(w.deletedNS, ns)
}
