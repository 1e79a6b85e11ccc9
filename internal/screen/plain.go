package screen

import (
	"fmt"
	"strings"

	"github.com/probedrill/probedrill/internal/timeline"
)

// whyIndent sets an explanation under the entry it explains.
const whyIndent = 8

// Printer renders a drill as append-only plain lines: no colours, no
// escape codes, one line (and its explanation) per observed change. It is
// what CI logs, pipes and `--plain` get.
type Printer struct {
	show    Show
	printed map[string]bool
}

// NewPrinter returns a Printer for show.
func NewPrinter(show Show) *Printer {
	return &Printer{show: show, printed: map[string]bool{}}
}

// Start is printed once the drill runs: the scenario, the predicted
// entries with their windows, and what is being watched.
func (p *Printer) Start() string {
	s, w := p.show, p.show.words()
	var b strings.Builder
	b.WriteString(Intro(s.Scenario, s.Lang))
	fmt.Fprintf(&b, "\n%s\n%s\n", w.offsets, indent(predictedTable(s.Predicted.Entries, TextWidth-2), "  "))
	pod := s.Scenario.Pod
	fmt.Fprintf(&b, "%s\n%s\n", fmt.Sprintf(w.podIn, pod.Name, pod.ContainerName, s.Namespace),
		fmt.Sprintf(w.watching, span(s.Until)))
	return b.String()
}

// Lines returns the lines for what snap shows that no earlier call
// printed, in time order: the offset, the entry, what happened (the event
// message exactly as the kubelet wrote it) and how it compares with the
// prediction, then the prediction's why on a line of its own.
func (p *Printer) Lines(snap Snapshot) []string {
	rows := p.show.rows(snap)
	var out []string
	for _, e := range snap.Observed.Entries {
		k := key(e)
		if p.printed[k] {
			continue
		}
		p.printed[k] = true
		out = append(out, p.line(e, rowOf(rows, k))...)
	}
	return out
}

// line renders one observed entry and, when it was predicted, its why.
func (p *Printer) line(e timeline.Entry, r *Row) []string {
	w := p.show.words()
	text := fmt.Sprintf("%-7s %-14s %s", timeline.Offset(e.At), label(e), observedWhat(e, w))
	if r == nil { // seen but not part of the comparison: a repeat event
		return []string{text}
	}
	text += "   " + w.lp + note(*r, w) + w.rp
	if r.Predicted == nil || r.Predicted.Why == "" {
		return []string{text}
	}
	why := strings.Split(indent(wrap(r.Predicted.Why, TextWidth-whyIndent), strings.Repeat(" ", whyIndent)), "\n")
	return append([]string{text}, why...)
}

// observedWhat is what plus, for a restart, the counter students watch.
func observedWhat(e timeline.Entry, w words) string {
	if e.Kind == timeline.Started && e.Instance > 0 {
		return fmt.Sprintf("%s · RESTARTS %d", what(e, w), e.Instance)
	}
	return what(e, w)
}

// rowOf finds the row whose observed entry has key k.
func rowOf(rows []Row, k string) *Row {
	for i := range rows {
		if rows[i].Observed != nil && key(*rows[i].Observed) == k {
			return &rows[i]
		}
	}
	return nil
}
