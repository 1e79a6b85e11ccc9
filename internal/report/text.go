package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/probedrill/probedrill/internal/verdict"
)

// ANSI colours, used only when the caller says the output is a terminal.
const (
	green = "\x1b[32m"
	red   = "\x1b[31m"
	dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

// Marks used by every renderer: the words "pass"/"FAIL" go with them so the
// table reads without colour (a projector, a CI log, a colour-blind reader).
const (
	markPass = "✓"
	markFail = "✗"
	markSkip = "-"
)

// WriteSummary writes the run as a table a projector can show: one row per
// scenario, then what went wrong in sentences, then one line of totals.
// color adds ANSI colours; pass it only for a terminal.
func WriteSummary(w io.Writer, r Run, color bool) error {
	t := table{color: color}
	t.row(cell{text: "SCENARIO"}, cell{text: "RESULT"}, cell{text: "TIME"}, cell{text: "EXPECTATIONS"}, cell{text: "TIMELINE"})
	for _, s := range r.Scenarios {
		t.row(summaryRow(s)...)
	}
	for _, s := range r.Skipped {
		t.row(cell{text: s.Name}, cell{text: markSkip + " skip", color: dim}, cell{text: s.Why, color: dim})
	}
	var b strings.Builder
	t.write(&b)
	writeProblems(&b, r, color)
	fmt.Fprintln(&b, totalsLine(r))
	_, err := io.WriteString(w, b.String())
	return err
}

func summaryRow(s ScenarioResult) []cell {
	result := cell{text: markPass + " pass", color: green}
	if !s.Passed {
		result = cell{text: markFail + " FAIL", color: red}
	}
	ok, due, _ := s.TimelineCounts()
	timelineCell := fmt.Sprintf("%d/%d as predicted", ok, due)
	if s.Error != "" {
		timelineCell += ", did not finish"
	}
	return []cell{
		{text: s.Name}, result, {text: roundDuration(s.Duration)},
		{text: fmt.Sprintf("%d/%d met", s.PassedFindings(), len(s.Findings))}, {text: timelineCell},
	}
}

// writeProblems lists, per failed scenario, the unmet expectations and the
// timeline lines that were not as predicted, in the verdict's own words.
func writeProblems(b *strings.Builder, r Run, color bool) {
	for _, s := range r.Scenarios {
		if s.Passed {
			continue
		}
		fmt.Fprintf(b, "\n%s:\n", s.Name)
		bad := paint(markFail, red, color)
		if s.Error != "" {
			fmt.Fprintf(b, "  %s %s\n", bad, s.Error)
		}
		for _, f := range s.Failed() {
			fmt.Fprintf(b, "  %s %s: %s\n", bad, f.Expect, f.Why)
		}
		for _, m := range s.Comparison.Mismatches() {
			fmt.Fprintf(b, "  %s %s\n", bad, m.Text)
		}
	}
	fmt.Fprintln(b)
}

func totalsLine(r Run) string {
	passed, failed := r.Totals()
	line := fmt.Sprintf("%d of %d scenarios passed", passed, passed+failed)
	if failed > 0 {
		line = fmt.Sprintf("%d of %d scenarios failed", failed, passed+failed)
	}
	if len(r.Skipped) > 0 {
		line += fmt.Sprintf(" (%d skipped)", len(r.Skipped))
	}
	return line + " in " + roundDuration(r.Duration) + "."
}

// roundDuration is a projector's duration: whole seconds ("1m32s").
func roundDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// table pads columns by their width in runes (✓ and ✗ are one column wide)
// and adds colour after padding, so escape codes never skew the alignment,
// which text/tabwriter would let them do. The first row (the header) sets
// the number of columns.
type table struct {
	rows  [][]cell
	color bool
}

type cell struct {
	text  string
	color string
}

func (t *table) row(cells ...cell) { t.rows = append(t.rows, cells) }

func (t *table) write(b *strings.Builder) {
	widths := make([]int, len(t.rows[0]))
	for _, r := range t.rows {
		for i, c := range r {
			// The last cell of a short row spans the rest of the line (a
			// skipped scenario's reason) and does not widen its column.
			if i < len(r)-1 || len(r) == len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
			}
		}
	}
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			text := c.text
			if i < len(r)-1 {
				text += strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text)+2)
			}
			line.WriteString(paint(text, c.color, t.color && c.color != ""))
		}
		fmt.Fprintln(b, strings.TrimRight(line.String(), " "))
	}
}

func paint(text, color string, on bool) string {
	if !on || color == "" {
		return text
	}
	trimmed := strings.TrimRight(text, " ")
	return color + trimmed + reset + text[len(trimmed):]
}

// findingMark is ✓ for a met expectation, ✗ otherwise.
func findingMark(f verdict.Finding) string {
	if f.OK() {
		return markPass
	}
	return markFail
}
