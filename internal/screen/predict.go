package screen

import (
	"fmt"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Prediction renders what `probedrill predict` prints: the scenario, every
// predicted entry up to horizon with its window and why, the RESTARTS
// column over time, and the exit codes; explanations are wrapped to width.
func Prediction(s *scenarios.Scenario, p *predict.Prediction, lang predict.Lang, horizon time.Duration, width int) string {
	w := wordsFor(lang)
	var b strings.Builder
	b.WriteString(Intro(s, lang))
	if p.Unpredictable != "" {
		fmt.Fprintf(&b, "\n! %s\n", p.Unpredictable)
	}
	entries := upTo(p.Timeline.Entries, horizon)
	fmt.Fprintf(&b, "\n%s\n%s", w.offsets, indent(predictedTable(entries, width-2), "  "))
	fmt.Fprintf(&b, "\n%s\n%s", w.restartsOverTime, indent(restartsOverTime(p, horizon), "  "))
	if exits := exitCodes(entries, width-2); exits != "" {
		fmt.Fprintf(&b, "\n%s\n%s", w.exits, indent(exits, "  "))
	}
	return b.String()
}

// upTo keeps the entries whose window opens by horizon.
func upTo(entries []timeline.Entry, horizon time.Duration) []timeline.Entry {
	var out []timeline.Entry
	for _, e := range entries {
		if earliest(e) <= horizon {
			out = append(out, e)
		}
	}
	return out
}

// restartsOverTime samples Prediction.RestartsAt at round times: the
// RESTARTS column a student would see, a range where the model allows two.
func restartsOverTime(p *predict.Prediction, horizon time.Duration) string {
	step := sampleStep(horizon)
	header, counts := []string{""}, []string{"RESTARTS"}
	for t := step; t <= horizon; t += step {
		lo, hi := p.RestartsAt(t)
		cell := fmt.Sprint(lo)
		if hi != lo {
			cell = fmt.Sprintf("%d-%d", lo, hi)
		}
		header = append(header, timeline.Offset(t))
		counts = append(counts, cell)
	}
	return table([][]string{header, counts}, 2)
}

// sampleStep picks a round step that gives about eight samples.
func sampleStep(horizon time.Duration) time.Duration {
	for _, s := range []time.Duration{10 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute} {
		if horizon/s <= 8 {
			return s
		}
	}
	return 30 * time.Minute
}

// exitCodes lists each distinct exit (code and reason) with the why of its
// first occurrence.
func exitCodes(entries []timeline.Entry, width int) string {
	seen := map[string]bool{}
	var rows [][]string
	for _, e := range entries {
		if e.Kind != timeline.Terminated {
			continue
		}
		k := exitCode(e) + " " + e.Reason
		if seen[k] {
			continue
		}
		seen[k] = true
		rows = append(rows, []string{exitCode(e), e.Reason, e.Why})
	}
	return tableWrapped(rows, 2, width)
}
