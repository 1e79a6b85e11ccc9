// Command measure reads the drills of one or more e2e runs and prints, as
// Markdown for suites/README.md, what the calibrated-model work is judged
// by: the cluster's latencies (internal/calibration) and, per entry kind,
// how wide the up-front windows were and how many observed entries fell
// inside them.
//
//	go run ./suites/measure [-write-calibration FILE] [-calibration FILE] [REPORT.json...]
//
// The reports default to _out/e2e/report.json. -write-calibration stores
// the latencies as a calibration (internal/calibration.File);
// -calibration predicts every drill up front again under one and judges
// those windows too, offline: how a calibration would have fared on runs
// already made.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
	"github.com/probedrill/probedrill/scenarios"
	"github.com/probedrill/probedrill/suites/internal/e2ereport"
)

// options are the command's flags.
type options struct {
	writeCalibration, calibration string
}

func main() {
	var o options
	flag.StringVar(&o.writeCalibration, "write-calibration", "", "write the measured latencies to this calibration file")
	flag.StringVar(&o.calibration, "calibration", "", "also judge the drills against up-front windows predicted under this calibration file")
	flag.Parse()
	reports := flag.Args()
	if len(reports) == 0 {
		reports = []string{"_out/e2e/report.json"}
	}
	if err := run(os.Stdout, reports, o); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, reports []string, o options) error {
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
	var tally calibration.Tally
	for _, d := range drills {
		s, err := scenarios.Get(d.Scenario)
		if err != nil {
			return err
		}
		if err := tally.Add(s, d.Observed); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "Latencies of %d drills (%d reports):\n\n", len(drills), len(reports))
	if err := tally.Samples.WriteTable(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", tally.Removals)
	fmt.Fprintf(w, "\nUp-front windows (the prediction before the drill started) against what was observed:\n\n")
	if err := judge(w, drills, func(d e2ereport.Drill) (timeline.Timeline, error) { return d.Predicted, nil }); err != nil {
		return err
	}
	if o.writeCalibration != "" {
		source := fmt.Sprintf("%d drills of %v", len(drills), reports)
		if err := tally.File(source, time.Now()).Save(o.writeCalibration); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nWrote %s.\n", o.writeCalibration)
	}
	if o.calibration != "" {
		f, err := calibration.Load(o.calibration)
		if err != nil {
			return err
		}
		k := f.Kubelet(predict.Kubelet{})
		fmt.Fprintf(w, "\nUp-front windows predicted again under %s:\n\n", o.calibration)
		if err := judge(w, drills, rePredictor(k)); err != nil {
			return err
		}
		return judgeConditioned(w, drills, k)
	}
	return nil
}

// judgeConditioned judges each drill as the drill itself does, against its
// prediction conditioned on what it observed, under kubelet k, and lists
// the drills that would have failed.
func judgeConditioned(w io.Writer, drills []e2ereport.Drill, k predict.Kubelet) error {
	failed := 0
	fmt.Fprintf(w, "\nConditioned windows (what a drill is judged against):\n")
	for _, d := range drills {
		s, err := scenarios.Get(d.Scenario)
		if err != nil {
			return err
		}
		p, err := predict.Predict(s, k, predict.WithObserved(d.Observed))
		if err != nil {
			return fmt.Errorf("predict %s: %w", d.Scenario, err)
		}
		if r := verdict.Compare(p.Timeline, d.Observed, verdict.Until(d.Elapsed)); !r.OK() {
			failed++
			fmt.Fprintf(w, "- %s fails:\n%s\n", d.Scenario, r)
		}
	}
	fmt.Fprintf(w, "%d of %d drills inside their conditioned windows.\n", len(drills)-failed, len(drills))
	return nil
}

// judge writes the windows table of the drills' up-front predictions
// (what predicted returns for each) and the entries outside them.
func judge(w io.Writer, drills []e2ereport.Drill, predicted func(e2ereport.Drill) (timeline.Timeline, error)) error {
	windows := map[timeline.Kind]*kindWindows{}
	var misses []string
	inside := 0
	for _, d := range drills {
		p, err := predicted(d)
		if err != nil {
			return err
		}
		m, ok := upFront(d, p, windows)
		misses = append(misses, m...)
		if ok {
			inside++
		}
	}
	writeWindows(w, windows)
	if len(misses) > 0 {
		fmt.Fprintf(w, "\nOutside their up-front window:\n")
		for _, m := range misses {
			fmt.Fprintf(w, "- %s\n", m)
		}
	}
	fmt.Fprintf(w, "\n%d of %d drills match their up-front prediction (as make e2e asserts it).\n", inside, len(drills))
	return nil
}

// rePredictor gives a drill's up-front prediction under kubelet k, as the
// suite asserts it (drill.Prepare; Drill.UpFront judges the whole
// prediction, what was still open at the end left out): once per
// scenario, however many runs of it the reports hold.
func rePredictor(k predict.Kubelet) func(e2ereport.Drill) (timeline.Timeline, error) {
	predicted := map[string]timeline.Timeline{}
	return func(d e2ereport.Drill) (timeline.Timeline, error) {
		if p, ok := predicted[d.Scenario]; ok {
			return p, nil
		}
		s, err := scenarios.Get(d.Scenario)
		if err != nil {
			return timeline.Timeline{}, err
		}
		plan, err := drill.Prepare(s, drill.Options{Kubelet: k})
		if err != nil {
			return timeline.Timeline{}, fmt.Errorf("predict %s: %w", d.Scenario, err)
		}
		predicted[d.Scenario] = plan.Prediction.Timeline
		return predicted[d.Scenario], nil
	}
}

// kindWindows are the up-front windows of one entry kind that were decided.
type kindWindows struct {
	widths []time.Duration
	inside int
}

// upFront compares the up-front prediction p with what drill d observed
// until it ended, as Drill.UpFront does, and files each decided line's
// window under its kind; it returns the lines outside their window, and
// whether the drill matched as a whole.
func upFront(d e2ereport.Drill, p timeline.Timeline, windows map[timeline.Kind]*kindWindows) ([]string, bool) {
	var misses []string
	r := verdict.Compare(p, d.Observed, verdict.Until(d.Elapsed), verdict.Ending(d.Elapsed))
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
	return misses, r.OK()
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
