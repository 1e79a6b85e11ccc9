package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// Chart geometry, in SVG user units (the SVG scales to the page width).
const (
	chartWidth = 1000.0
	plotLeft   = 150.0 // room for the lane names
	plotRight  = 980.0
	laneHeight = 34.0
	bandHeight = 20.0
	axisHeight = 44.0 // tick labels and the axis caption
	minBand    = 4.0  // a window of zero width still shows
	chartTop   = 8.0
	maxTicks   = 10
)

// lane is one row of the chart: the entries of one or two timeline kinds.
type laneDef struct {
	name  string
	kinds []timeline.Kind
}

// lanes in the order the story unfolds: the container starts, the probe
// fails, the kubelet kills, the container exits, the kubelet backs off.
var laneDefs = []laneDef{
	{"container starts", []timeline.Kind{timeline.Started}},
	{"probe failures", []timeline.Kind{timeline.ProbeFailed}},
	{"kills", []timeline.Kind{timeline.Killing}},
	{"exits", []timeline.Kind{timeline.Terminated}},
	{"back-offs", []timeline.Kind{timeline.BackOff}},
	{"readiness", []timeline.Kind{timeline.Ready, timeline.NotReady}},
	{"pod deleted", []timeline.Kind{timeline.PodDeleted}},
}

// chart is one scenario's SVG timeline, ready for the template.
type chart struct {
	Width, Height float64
	PlotLeft      float64
	PlotRight     float64
	AxisY         float64
	Lanes         []lane
	Ticks         []tick
	// Unwatched shades the time after observation ended (0 width: none).
	UnwatchedX, UnwatchedW float64
	Observed               int
}

type lane struct {
	Name    string
	Y, MidY float64
	LabelY  float64
	Bands   []band
	Links   []link
	Marks   []mark
}

type band struct {
	X, Y, W, H float64
	Class      string // ok, bad, later
	Title      string
}

type mark struct {
	X, Y  float64
	Class string // ok, bad, plain
	Kind  string
	Title string
}

// link joins an early or late observation to its predicted window.
type link struct{ X1, X2, Y float64 }

type tick struct {
	X     float64
	Label string
}

// newChart lays out predicted windows as bands and observed entries as
// marks, one lane per kind that occurs, on a shared time axis.
func newChart(s ScenarioResult) chart {
	end := axisEnd(s)
	x := func(d time.Duration) float64 { return plotLeft + (plotRight-plotLeft)*float64(d)/float64(end) }
	status := observedStatus(s.Comparison)
	c := chart{Width: chartWidth, PlotLeft: plotLeft, PlotRight: plotRight}
	y := chartTop
	for _, def := range laneDefs {
		l := lane{Name: def.name, Y: y, MidY: y + laneHeight/2, LabelY: y + laneHeight/2 + 5}
		l.Bands, l.Links = bands(s, def.kinds, x, l.MidY)
		l.Marks = marks(s, def.kinds, x, l.MidY, status)
		if len(l.Bands)+len(l.Marks) == 0 {
			continue
		}
		c.Observed += len(l.Marks)
		c.Lanes = append(c.Lanes, l)
		y += laneHeight
	}
	c.AxisY = y
	c.Height = y + axisHeight
	c.Ticks = ticks(end, x)
	if s.Watched > 0 && s.Watched < end {
		c.UnwatchedX, c.UnwatchedW = x(s.Watched), plotRight-x(s.Watched)
	}
	return c
}

// axisEnd is the last moment worth showing, with a little room after it.
func axisEnd(s ScenarioResult) time.Duration {
	end := s.Watched
	for _, e := range s.Predicted.Entries {
		_, hi := judgedWindow(e)
		end = max(end, hi, e.At)
	}
	for _, e := range s.Observed.Entries {
		end = max(end, e.At)
	}
	return max(end+end/50, 10*time.Second)
}

// bands draws each predicted window as the comparison judges it: widened by
// verdict.Resolution on both sides for the API's whole-second timestamps, so
// a mark drawn inside its band is a match and one outside is not. A line
// judged early or late also gets a link from its band to the mark it was
// paired with, which shows how far off it came.
func bands(s ScenarioResult, kinds []timeline.Kind, x func(time.Duration) float64, mid float64) ([]band, []link) {
	var out []band
	var links []link
	for _, m := range s.Comparison.Lines {
		p := m.Predicted
		if p == nil || !slices.Contains(kinds, p.Kind) {
			continue
		}
		lo, hi := judgedWindow(*p)
		w := max(x(hi)-x(lo), minBand)
		b := band{X: x(lo) - (w-(x(hi)-x(lo)))/2, Y: mid - bandHeight/2, W: w, H: bandHeight,
			Class: bandClass(m.Status), Title: fmt.Sprintf("predicted %s %s: %s", m.Label, windowText(*p), lineVerdict(m))}
		out = append(out, b)
		if o := m.Observed; o != nil && (m.Status == verdict.Early || m.Status == verdict.Late) {
			edge := b.X
			if m.Status == verdict.Late {
				edge = b.X + b.W
			}
			links = append(links, link{X1: edge, X2: x(o.At), Y: mid})
		}
	}
	return out, links
}

// judgedWindow is a predicted entry's window with the comparer's slack.
func judgedWindow(p timeline.Entry) (lo, hi time.Duration) {
	lo, hi = p.Earliest, p.Latest
	if lo == 0 && hi == 0 {
		lo, hi = p.At, p.At
	}
	return max(lo-verdict.Resolution, 0), hi + verdict.Resolution
}

func marks(s ScenarioResult, kinds []timeline.Kind, x func(time.Duration) float64, mid float64, status map[string]verdict.Match) []mark {
	var out []mark
	for _, e := range s.Observed.Entries {
		if !slices.Contains(kinds, e.Kind) {
			continue
		}
		m := mark{X: x(e.At), Y: mid, Class: "plain", Kind: string(e.Kind),
			Title: fmt.Sprintf("observed %s at %s", e.Kind, timeline.Offset(e.At))}
		if line, ok := status[entryKey(e)]; ok {
			m.Class = markClass(line)
			m.Title = fmt.Sprintf("observed %s at %s: %s", line.Label, timeline.Offset(e.At), lineVerdict(line))
		}
		if detail := entryDetail(e); detail != "" {
			m.Title += "\n" + detail
		}
		out = append(out, m)
	}
	// Unjudged marks first, so that one at the same moment as a judged mark
	// (a BackOff event and the CrashLoopBackOff state it announces) cannot
	// hide the verdict under it.
	slices.SortStableFunc(out, func(a, b mark) int { return btoi(b.Class == "plain") - btoi(a.Class == "plain") })
	return out
}

// entryDetail is what an observed mark's tooltip adds: the exit, the message.
func entryDetail(e timeline.Entry) string {
	switch {
	case e.ExitCode != nil:
		return fmt.Sprintf("exit code %d, %s", *e.ExitCode, e.Reason)
	case e.Message != "":
		return e.Message
	}
	return ""
}

// observedStatus maps each observed entry the comparison judged to its line.
// Entries it did not judge (extra BackOff events, readiness flips) are drawn
// without a verdict.
func observedStatus(r verdict.Result) map[string]verdict.Match {
	out := map[string]verdict.Match{}
	for _, m := range r.Lines {
		if m.Observed != nil {
			out[entryKey(*m.Observed)] = m
		}
	}
	return out
}

func entryKey(e timeline.Entry) string {
	return fmt.Sprintf("%s|%d|%d|%s|%s|%d|%s", e.Kind, e.At, e.Instance, e.Pod, e.Container, e.Count, e.Message)
}

func bandClass(s verdict.Status) string {
	switch s {
	case verdict.Matched:
		return "ok"
	case verdict.NotYetDue, verdict.Skipped:
		return "later"
	}
	return "bad"
}

func markClass(m verdict.Match) string {
	if m.OK() {
		return "ok"
	}
	return "bad"
}

// ticks puts about maxTicks labelled ticks on the axis, at round steps.
func ticks(end time.Duration, x func(time.Duration) float64) []tick {
	steps := []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second,
		30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
		30 * time.Minute, time.Hour}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if end/s <= maxTicks {
			step = s
			break
		}
	}
	var out []tick
	for t := time.Duration(0); t <= end; t += step {
		out = append(out, tick{X: x(t), Label: tickLabel(t)})
	}
	return out
}

// tickLabel is an axis offset as a person says it: "+1m", not "+1m0s".
func tickLabel(d time.Duration) string {
	s := timeline.Offset(d)
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
