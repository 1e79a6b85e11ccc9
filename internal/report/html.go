package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// The page is one file with nothing to fetch: the CSS is inlined and the
// charts are inline SVG, so it opens offline, from a USB stick or a CI
// artifact. html/template escapes every string from the run record.
var (
	//go:embed report.html.tmpl
	pageTemplate string
	//go:embed report.css
	pageCSS string
)

// page is what the template sees.
type page struct {
	Run       Run
	CSS       template.CSS
	Started   string
	Duration  string
	Cluster   string
	Passed    int
	Failed    int
	Scenarios []scenarioView
}

type scenarioView struct {
	ScenarioResult
	ID       string
	Mark     string
	Duration string
	Watched  string
	Chart    chart
	Findings []findingView
	Lines    []lineView
	// Tally is the comparison in words: "12 of 13 as predicted".
	Tally string
}

type findingView struct {
	OK          bool
	Mark        string
	Expect, Why string
}

type lineView struct {
	Class               string // ok, bad, later
	Mark                string
	Label               string
	Predicted, Observed string
	Verdict             string
}

// WriteHTML writes the run as a self-contained HTML page.
func WriteHTML(w io.Writer, r Run) error {
	t, err := template.New("report").Funcs(template.FuncMap{"f": coord}).Parse(pageTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, newPage(r))
}

func newPage(r Run) page {
	p := page{Run: r, CSS: template.CSS(pageCSS), Started: r.Started.Format("2 Jan 2006 15:04:05 MST"),
		Duration: roundDuration(r.Duration), Cluster: clusterText(r.Cluster)}
	p.Passed, p.Failed = r.Totals()
	for _, s := range r.Scenarios {
		p.Scenarios = append(p.Scenarios, newScenarioView(s))
	}
	return p
}

func newScenarioView(s ScenarioResult) scenarioView {
	v := scenarioView{ScenarioResult: s, ID: "scenario-" + s.Name, Mark: markPass,
		Duration: roundDuration(s.Duration), Watched: timeline.Offset(s.Watched), Chart: newChart(s)}
	if !s.Passed {
		v.Mark = markFail
	}
	for _, f := range s.Findings {
		v.Findings = append(v.Findings, findingView{OK: f.OK(), Mark: findingMark(f), Expect: f.Expect, Why: f.Why})
	}
	for _, m := range s.Comparison.Lines {
		v.Lines = append(v.Lines, newLineView(m))
	}
	ok, due, later := s.TimelineCounts()
	v.Tally = fmt.Sprintf("%d of %d as predicted", ok, due)
	if later > 0 {
		v.Tally += fmt.Sprintf(", %d not yet due when the drill ended", later)
	}
	return v
}

func newLineView(m verdict.Match) lineView {
	l := lineView{Class: "ok", Mark: markPass, Label: m.Label, Predicted: "–", Observed: "–", Verdict: lineVerdict(m)}
	switch {
	case m.Status == verdict.NotYetDue:
		l.Class, l.Mark = "later", "…"
	case !m.OK():
		l.Class, l.Mark = "bad", markFail
	}
	if m.Predicted != nil {
		l.Predicted = windowText(*m.Predicted)
	}
	if m.Observed != nil {
		l.Observed = timeline.Offset(m.Observed.At)
	}
	return l
}

// lineVerdict says how a comparison line fared; a mismatch is told in the
// verdict's own sentence.
func lineVerdict(m verdict.Match) string {
	switch m.Status {
	case verdict.Matched:
		return "as predicted"
	case verdict.NotYetDue:
		return "not yet due when the drill ended"
	}
	return m.Text
}

// windowText is a predicted window: "+1m18s…+1m22s", or one time when exact.
func windowText(e timeline.Entry) string {
	lo, hi := e.Earliest, e.Latest
	if (lo == 0 && hi == 0) || lo == hi {
		return timeline.Offset(e.At)
	}
	return timeline.Offset(lo) + "…" + timeline.Offset(hi)
}

// clusterText is the cluster in one line: "kind-probedrill (v1.37.2, single,
// 1 node, crash-loop back-off capped at 5m0s)".
func clusterText(c Cluster) string {
	var parts []string
	for _, p := range []string{c.KubernetesVersion, c.Profile} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if c.Nodes > 0 {
		parts = append(parts, plural(c.Nodes, "node"))
	}
	if c.MaxContainerRestartPeriod > 0 {
		parts = append(parts, "crash-loop back-off capped at "+c.MaxContainerRestartPeriod.Round(time.Second).String())
	}
	if len(parts) == 0 {
		return c.Name
	}
	return fmt.Sprintf("%s (%s)", c.Name, strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// coord formats an SVG coordinate: one decimal is finer than a pixel.
func coord(v float64) string { return fmt.Sprintf("%.1f", v) }
