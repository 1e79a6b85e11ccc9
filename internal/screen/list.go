package screen

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/scenarios"
)

// Catalog output formats (`probedrill list -o`).
const (
	FormatDefault = ""
	FormatWide    = "wide"
	FormatName    = "name"
)

// Catalog lists scenarios one per line, aligned: name, title, labels. The
// title comes before the labels because it is what a class reads; the
// labels (for --label) go last. Wide output, and Chinese, add the seed
// chapter's section each scenario reproduces: the scenarios have no Chinese
// titles, and the section heading is the Chinese a student will find in the
// seed. On a terminal narrower than the lines (width > 0), the labels are
// dropped and titles wrap under themselves rather than run off the screen.
func Catalog(all []*scenarios.Scenario, format string, lang predict.Lang, width int) string {
	if format == FormatName {
		var b strings.Builder
		for _, s := range all {
			b.WriteString(s.Name + "\n")
		}
		return b.String()
	}
	seed := format == FormatWide || lang == predict.Chinese
	rows := [][]string{catalogHeader(seed, lang)}
	for _, s := range all {
		row := []string{s.Name}
		if seed {
			row = append(row, orDash(s.Seed))
		}
		rows = append(rows, append(row, s.Title, strings.Join(s.Labels, ",")))
	}
	out := table(rows, 2)
	if width <= 0 || widest(out) <= width {
		return out
	}
	for i := range rows {
		rows[i] = rows[i][:len(rows[i])-1]
	}
	return tableWrapped(rows, 2, width)
}

// widest is the width of the longest line of s.
func widest(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

func catalogHeader(seed bool, lang predict.Lang) []string {
	h := []string{"NAME", "SEED", "TITLE", "LABELS"}
	if lang == predict.Chinese {
		h = []string{"名称", "原文章节", "标题", "标签"}
	}
	if !seed {
		h = append(h[:1], h[2:]...)
	}
	return h
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
