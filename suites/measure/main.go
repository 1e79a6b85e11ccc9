// Command measure reads the drills of one or more e2e runs and prints, as
// Markdown for suites/README.md, what the calibrated-model work is judged
// by: the cluster's latencies (internal/calibration) and, per entry kind,
// how wide the up-front windows were and how many observed entries fell
// inside them.
//
//	go run ./suites/measure [REPORT.json...]   (default _out/e2e/report.json)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
	"github.com/probedrill/probedrill/suites/internal/e2ereport"
)

func main() {
	flag.Parse()
	reports := flag.Args()
	if len(reports) == 0 {
		reports = []string{"_out/e2e/report.json"}
	}
	if err := run(os.Stdout, reports); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, reports []string) error {
	var drills []e2ereport.Drill
	for _, r := range reports {
		ds, err := e2ereport.Read(r)
		if err != nil {
			return err
		}
		drills = append(drills, ds...)
	}
	if len(drills) == 0 {
		return fmt.Errorf("no drill timelines in %v", reports)
	}
	samples := calibration.Samples{}
	windows := map[timeline.Kind]*kindWindows{}
	var misses []string
	for _, d := range drills {
		samples.Add(calibration.Measure(d.Observed))
		misses = append(misses, upFront(d, windows)...)
	}
	fmt.Fprintf(w, "Latencies of %d drills (%d reports):\n\n", len(drills), len(reports))
	if err := samples.WriteTable(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nUp-front windows (the prediction before the drill started) against what was observed:\n\n")
	writeWindows(w, windows)
	if len(misses) > 0 {
		fmt.Fprintf(w, "\nOutside their up-front window:\n")
		for _, m := range misses {
			fmt.Fprintf(w, "- %s\n", m)
		}
	}
	return nil
}

// kindWindows are the up-front windows of one entry kind that were decided.
type kindWindows struct {
	widths []time.Duration
	inside int
}

// upFront compares the drill's up-front prediction with what it observed
// and files each decided line's window under its kind; it returns the
// lines outside their window.
func upFront(d e2ereport.Drill, windows map[timeline.Kind]*kindWindows) []string {
	var misses []string
	r := verdict.Compare(d.Predicted, d.Observed, verdict.Until(d.Elapsed))
	for _, m := range r.Lines {
		if m.Predicted == nil || !m.Decided() || m.Status == verdict.Skipped || m.Status == verdict.Unrecorded {
			continue
		}
		k := windows[m.Predicted.Kind]
		if k == nil {
			k = &kindWindows{}
			windows[m.Predicted.Kind] = k
		}
		k.widths = append(k.widths, m.Predicted.Latest-m.Predicted.Earliest)
		if m.Status == verdict.Matched {
			k.inside++
		} else {
			misses = append(misses, fmt.Sprintf("%s: %s", d.Scenario, m.Text))
		}
	}
	return misses
}

func writeWindows(w io.Writer, windows map[timeline.Kind]*kindWindows) {
	fmt.Fprintln(w, "| entry | n | inside | median width | max width |\n|---|---|---|---|---|")
	kinds := make([]timeline.Kind, 0, len(windows))
	for k := range windows {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		st := calibration.Of(windows[k].widths)
		fmt.Fprintf(w, "| %s | %d | %d | %v | %v |\n", k, st.N, windows[k].inside,
			st.P50.Round(100*time.Millisecond), st.Max.Round(100*time.Millisecond))
	}
}
