package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

func renderHTML(t *testing.T, r Run) string {
	t.Helper()
	var b strings.Builder
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// svgs returns each timeline SVG of a page (or of a DOM dump) by scenario.
func svgs(page string) map[string]string {
	re := regexp.MustCompile(`(?s)<svg class="timeline" data-scenario="([^"]+)".*?</svg>`)
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out[m[1]] = m[0]
	}
	return out
}

func TestHTMLHasOneChartPerScenarioWithEveryObservedMark(t *testing.T) {
	r := sampleRun()
	charts := svgs(renderHTML(t, r))
	if len(charts) != len(r.Scenarios) {
		t.Fatalf("%d charts for %d scenarios", len(charts), len(r.Scenarios))
	}
	for _, s := range r.Scenarios {
		if got := strings.Count(charts[s.Name], `class="obs-mark`); got != len(s.Observed.Entries) {
			t.Errorf("%s: %d observed marks, want %d", s.Name, got, len(s.Observed.Entries))
		}
	}
}

func TestHTMLMarksAndBandsCarryTheVerdict(t *testing.T) {
	chart := svgs(renderHTML(t, sampleRun()))["seed-http-500"]
	if n := strings.Count(chart, `class="obs-mark bad"`); n != 1 {
		t.Errorf("want the one late restart as a bad mark, got %d", n)
	}
	if n := strings.Count(chart, `class="band bad"`); n != 1 {
		t.Errorf("want the late restart's window as a bad band, got %d", n)
	}
	fast := svgs(renderHTML(t, sampleRun()))["classroom-fast"]
	if n := strings.Count(fast, `class="obs-mark plain"`); n != 1 {
		t.Errorf("the BackOff event the comparison does not judge: want 1 plain mark, got %d", n)
	}
}

func TestHTMLEscapesTheRecord(t *testing.T) {
	page := renderHTML(t, sampleRun())
	if strings.Contains(page, "<script>") || strings.Contains(page, "<html><script>") {
		t.Errorf("a finding's text reached the page unescaped")
	}
	if !strings.Contains(page, "&lt;html&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") {
		t.Errorf("the escaped finding text is missing")
	}
}

// The page must open offline: nothing may be fetched.
func TestHTMLIsSelfContained(t *testing.T) {
	page := renderHTML(t, sampleRun())
	for _, ref := range []string{"src=", "http://", "https://", "url(", "@import", "<link", "<script"} {
		if ref == "http://" {
			// The SVG namespace is an identifier, not a fetch.
			page = strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, "")
		}
		if strings.Contains(page, ref) {
			t.Errorf("the page references %q: it would not be self-contained", ref)
		}
	}
}

func TestChartLanesOnlyForKindsThatOccur(t *testing.T) {
	s := sampleRun().Scenarios[2] // healthy: starts and readiness
	var names []string
	for _, l := range newChart(s).Lanes {
		names = append(names, l.Name)
	}
	if strings.Join(names, ",") != "container starts,readiness" {
		t.Errorf("lanes %v, want container starts and readiness", names)
	}
}

func TestChartAxisCoversEverythingAndShadesTheUnwatched(t *testing.T) {
	s := sampleRun().Scenarios[3] // interrupted at 12s, prediction runs on
	c := newChart(s)
	if c.UnwatchedW <= 0 {
		t.Fatalf("an interrupted drill must shade what was not watched")
	}
	for _, l := range c.Lanes {
		for _, b := range l.Bands {
			if b.X < plotLeft-minBand || b.X+b.W > plotRight+minBand {
				t.Errorf("band %+v leaves the plot", b)
			}
		}
	}
	if last := c.Ticks[len(c.Ticks)-1]; last.X > plotRight {
		t.Errorf("tick %+v beyond the plot", last)
	}
	if got := len(ticks(axisEnd(s), func(time.Duration) float64 { return 0 })); got > maxTicks+1 {
		t.Errorf("%d ticks, want at most %d", got, maxTicks+1)
	}
}

func TestTickLabels(t *testing.T) {
	cases := map[time.Duration]string{0: "+0s", 10 * time.Second: "+10s", time.Minute: "+1m",
		70 * time.Second: "+1m10s", 2 * time.Hour: "+2h", 150 * time.Minute: "+2h30m"}
	for d, want := range cases {
		if got := tickLabel(d); got != want {
			t.Errorf("tickLabel(%v) = %q, want %q", d, got, want)
		}
	}
}

// A mark the comparison matched must be drawn inside its band, and a late
// one outside it, joined to it by a link.
func TestChartDrawsMatchesInsideTheirBands(t *testing.T) {
	for _, s := range sampleRun().Scenarios {
		c := newChart(s)
		for _, l := range c.Lanes {
			for _, m := range l.Marks {
				if m.Class == "plain" {
					continue
				}
				inside := slices.ContainsFunc(l.Bands, func(b band) bool { return m.X >= b.X && m.X <= b.X+b.W })
				if inside != (m.Class == "ok") {
					t.Errorf("%s: %s mark at x=%.1f inside a band: %v", s.Name, m.Class, m.X, inside)
				}
			}
		}
	}
	var links int
	for _, l := range newChart(sampleRun().Scenarios[1]).Lanes {
		links += len(l.Links)
	}
	if links != 1 {
		t.Errorf("seed-http-500 has one late restart: %d links, want 1", links)
	}
}

func TestJudgedMarksAreDrawnOverUnjudgedOnes(t *testing.T) {
	s := sampleRun().Scenarios[0]
	s.Observed.Add(timeline.Entry{Kind: timeline.BackOff, At: 65 * time.Second, Instance: 3}) // the waiting state, before the event
	backoff := timeline.Entry{Kind: timeline.BackOff, At: 65 * time.Second, Earliest: 64 * time.Second, Latest: 67 * time.Second, Instance: 3}
	s.Predicted.Add(backoff)
	s.Comparison = verdict.Compare(s.Predicted, s.Observed)
	for _, l := range newChart(s).Lanes {
		if l.Name != "back-offs" {
			continue
		}
		if n := len(l.Marks); n != 2 || l.Marks[0].Class != "plain" || l.Marks[1].Class != "ok" {
			t.Errorf("back-off marks %+v: want the event (plain) under the judged state (ok)", l.Marks)
		}
	}
}
