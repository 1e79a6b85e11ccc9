package screen

import (
	"fmt"
	"strings"

	"github.com/probedrill/probedrill/internal/timeline"
)

// timelineLines draws the predicted vs observed timeline in at most avail
// lines (0: all): a header, then one row per entry — its mark, label,
// predicted window, observed time, state and why. Columns are sized over
// every row, so they stay put while the window scrolls.
func timelineLines(show Show, snap Snapshot, v View, avail int) []string {
	w := show.words()
	rows := show.rows(snap)
	cells := [][]string{{"", "", w.predicted, w.observed, "", ""}}
	for _, r := range rows {
		cells = append(cells, rowCells(r, w, v))
	}
	lines := strings.Split(strings.TrimRight(table(cells, 2), "\n"), "\n")
	out := []string{v.Styles.Faint.Render(lines[0])}
	lo, hi := rowWindow(rows, avail-1)
	if lo > 0 {
		out = append(out, v.Styles.Faint.Render(fmt.Sprintf("  ⋮ %d", lo)))
	}
	out = append(out, lines[1+lo:1+hi]...)
	if hi < len(rows) {
		out = append(out, v.Styles.Faint.Render(fmt.Sprintf("  ⋮ %d", len(rows)-hi)))
	}
	return out
}

// rowCells renders one row; a row not yet due is faint as a whole.
func rowCells(r Row, w words, v View) []string {
	st := v.Styles.forRow(r, v.Final)
	e := r.entry()
	pred, obs, why := "", "", ""
	if r.Predicted != nil {
		pred, why = window(*r.Predicted), r.Predicted.Why
	}
	if r.Observed != nil {
		obs = timeline.Offset(r.Observed.At)
	}
	if r.State == Extra {
		why = what(e, w)
	}
	cells := []string{st.Render(mark(r, v.Final)), label(e), pred, obs, st.Render(status(r, w, v.Final)), why}
	if r.State == Waiting && !v.Final {
		for i := range cells {
			cells[i] = v.Styles.Faint.Render(cells[i])
		}
	}
	return cells
}

// rowWindow picks the rows shown when only n fit: the newest decided ones
// and a few of what comes next, leaving a line for each "⋮" marker.
func rowWindow(rows []Row, n int) (lo, hi int) {
	if n <= 0 || len(rows) <= n {
		return 0, len(rows)
	}
	n = max(n-2, 1)
	next := len(rows)
	for i, r := range rows {
		if !r.Decided() {
			next = i
			break
		}
	}
	hi = min(len(rows), max(next+n/3, n))
	return hi - n, hi
}
