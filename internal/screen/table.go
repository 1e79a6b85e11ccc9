package screen

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// table aligns cells in columns by their display width (a Chinese
// character takes two cells; escape codes none), gap spaces apart, with no
// trailing spaces. text/tabwriter counts runes, which misaligns Chinese.
func table(rows [][]string, gap int) string {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+gap))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// tableWrapped is table with the last column wrapped to width cells in
// all (0: no wrapping); continuation lines are indented under it.
func tableWrapped(rows [][]string, gap, width int) string {
	if width <= 0 || len(rows) == 0 {
		return table(rows, gap)
	}
	last := len(rows[0]) - 1
	lead := 0 // where the last column starts
	for i := 0; i < last; i++ {
		w := 0
		for _, r := range rows {
			w = max(w, ansi.StringWidth(r[i]))
		}
		lead += w + gap
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(table(rows, gap), "\n"), "\n") {
		head, tail := line, ""
		if ansi.StringWidth(line) > lead {
			head, tail = ansi.Cut(line, 0, lead), ansi.Cut(line, lead, ansi.StringWidth(line))
		}
		wrapped := strings.Split(wrap(tail, max(width-lead, 20)), "\n")
		b.WriteString(strings.TrimRight(head+wrapped[0], " ") + "\n")
		for _, w := range wrapped[1:] {
			b.WriteString(strings.Repeat(" ", lead) + w + "\n")
		}
	}
	return b.String()
}
