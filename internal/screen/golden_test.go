package screen

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/verdict"
	"github.com/probedrill/probedrill/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name.golden (or rewrites it with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/screen -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test ./internal/screen -update rewrites it):\n%s", path, diff)
	}
}

// noEscapes fails when plain output carries terminal escape codes.
func noEscapes(t *testing.T, out string) {
	t.Helper()
	if strings.ContainsRune(out, '\x1b') {
		t.Errorf("plain output holds escape codes:\n%q", out)
	}
}

var langs = []predict.Lang{predict.English, predict.Chinese}

// TestPlainDemo renders a whole plain demo: the intro, the lines printed at
// each snapshot the watch takes, and the summary.
func TestPlainDemo(t *testing.T) {
	for _, lang := range langs {
		show := fixtureShow(t, lang)
		p := NewPrinter(show)
		var b strings.Builder
		b.WriteString(p.Start())
		for _, s := range []int{0, 5, 17, 20, 40, 58, 60, 68, 72} {
			for _, l := range p.Lines(fixtureSnapshot(s)) {
				b.WriteString(l + "\n")
			}
		}
		final := fixtureSnapshot(72)
		fs := verdict.Check(show.Scenario, verdict.Observation{Timeline: final.Observed, Events: final.Events,
			Pod: final.Pod, Elapsed: final.Elapsed, Final: true, Predicted: show.Predicted, PreviousLogs: "GET / 500"})
		b.WriteString(Summary(show, final, Ending{Findings: fs}, true, TextWidth))
		noEscapes(t, b.String())
		golden(t, "demo-plain-"+string(lang), b.String())
	}
}

// TestFrame draws the live screen mid-drill and at the end, without colours.
func TestFrame(t *testing.T) {
	for _, lang := range langs {
		show := fixtureShow(t, lang)
		mid := Frame(show, fixtureSnapshot(40), View{Width: 120, Height: 40, Styles: NoStyles()})
		end := Frame(show, fixtureSnapshot(72), View{Width: 120, Height: 40, Styles: NoStyles(), Final: true})
		for _, f := range []string{mid, end} {
			if n := strings.Count(f, "\n") + 1; n > 40 {
				t.Errorf("frame has %d lines, more than the terminal's 40", n)
			}
		}
		golden(t, "demo-frame-"+string(lang), mid+"\n\n"+end+"\n")
	}
}

func TestPrediction(t *testing.T) {
	for _, name := range []string{"classroom-fast", "seed-http-500"} {
		s, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range langs {
			plan, err := drill.Prepare(s, drill.Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			out := Prediction(s, plan.Prediction, lang, plan.Deadline, TextWidth)
			noEscapes(t, out)
			golden(t, "predict-"+name+"-"+string(lang), out)
		}
	}
}

func TestCatalog(t *testing.T) {
	all, err := scenarios.All()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "list-en", Catalog(all, FormatDefault, predict.English, 0))
	golden(t, "list-zh", Catalog(all, FormatDefault, predict.Chinese, 0))
	golden(t, "list-wide-100", Catalog(all, FormatWide, predict.English, 100))
}
