package probecheck

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/probedrill/probedrill/internal/render"
	"github.com/probedrill/probedrill/internal/timeline"
)

// Report is a finished check, ready to print.
type Report struct {
	Check   *Check
	Results []Result
	// DryRun: nothing ran; the verdicts are the predictor's.
	DryRun bool
	// Note is a caveat about the cluster (target.Target.Note), if any.
	Note string
}

// Failed returns the results that did not pass.
func (r Report) Failed() []Result {
	var out []Result
	for _, res := range r.Results {
		if !res.Pass {
			out = append(out, res)
		}
	}
	return out
}

// Err is nil when every fault passed, else one sentence naming the failed
// ones: the command's error, which makes it exit 1.
func (r Report) Err() error {
	failed := r.Failed()
	if len(failed) == 0 {
		return nil
	}
	parts := make([]string, len(failed))
	for i, f := range failed {
		parts[i] = f.Fault + " " + map[Must]string{MustCatch: "(missed)", MustSpare: "(killed a healthy app)"}[f.Must]
	}
	return fmt.Errorf("the probes failed %d of %d faults: %s", len(failed), len(r.Results), strings.Join(parts, ", "))
}

// WriteText prints the report as a plain table, readable on a projector:
// no colours, under 100 columns except for the probe lines.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	r.header(&b)
	r.table(&b)
	r.failures(&b)
	r.notes(&b)
	r.verdict(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// standInImage is the faultyapp image the drills run.
func (k *Check) standInImage() string {
	if k.Options.Image != "" {
		return k.Options.Image
	}
	return render.DefaultImage
}

// standInLine says that faultyapp ran, and which image did not.
func (k *Check) standInLine() string {
	if img := k.Config.Input.Image; img != "" {
		return fmt.Sprintf("faultyapp (%s) ran behind your probes; your image %s did not run", k.standInImage(), img)
	}
	return fmt.Sprintf("faultyapp (%s) ran behind your probe", k.standInImage())
}

func (r Report) header(b *strings.Builder) {
	c := r.Check.Config
	what := "a bare probe"
	if c.Input.Workload != "" {
		what = c.source()
	}
	fmt.Fprintf(b, "probedrill check %s (%s)\n", c.Input.File, what)
	Wrap(b, "  stand-in   ", r.Check.standInLine())
	for _, p := range []struct {
		name string
		ok   bool
		text func() string
	}{
		{"Liveness", c.Liveness != nil, func() string { return describeProbe(c.Liveness) }},
		{"Readiness", c.Readiness != nil, func() string { return describeProbe(c.Readiness) }},
		{"Startup", c.Startup != nil, func() string { return describeProbe(c.Startup) }},
	} {
		if p.ok {
			fmt.Fprintf(b, "  %-10s %s\n", p.name+":", p.text())
		}
	}
	if r.DryRun {
		fmt.Fprintf(b, "Predicted only (--dry-run): nothing ran; each fault judged over its first %s.\n\n", r.window())
		return
	}
	fmt.Fprintf(b, "faultyapp stood in for your app on port %d; each fault ran in a namespace of its own for %s.\n\n", c.Port, r.window())
}

func (r Report) window() string { return strings.TrimPrefix(timeline.Offset(r.Check.Window), "+") }

// table is one row per fault: what the app did, what the probe owed it,
// the verdict, and the first restart and restart count, seen and predicted.
func (r Report) table(b *strings.Builder) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	if r.DryRun {
		fmt.Fprintf(tw, "FAULT\tAPP\tMUST\tRESULT\tFIRST AT\tRESTARTS\n")
	} else {
		fmt.Fprintf(tw, "FAULT\tAPP\tMUST\tRESULT\tFIRST AT\tPREDICTED\tRESTARTS\tPRED.\n")
	}
	for _, res := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t", res.Fault, orDash(res.App), res.Must, resultWord(res))
		pred := res.Predicted
		if r.DryRun {
			fmt.Fprintf(tw, "%s\t%s\n", windowWord(res, pred.First), restartsSpan(res, pred))
			continue
		}
		seen := Outcome{}
		if res.Observed != nil {
			seen = *res.Observed
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", firstWord(res, seen.First), windowWord(res, pred.First),
			restartsSpan(res, seen), restartsSpan(res, pred))
	}
	tw.Flush()
	fmt.Fprintf(b, "FIRST AT: the first restart, from the pod's creation (predicted: the window it falls in).\n"+
		"RESTARTS: in the first %s of the app.\n", r.window())
}

func resultWord(r Result) string {
	switch {
	case r.Skipped != "":
		return "n/a"
	case r.Pass:
		return "ok"
	}
	return "FAIL"
}

func firstWord(r Result, e *timeline.Entry) string {
	if r.Skipped != "" || e == nil {
		return "-"
	}
	return timeline.Offset(e.At)
}

// windowWord is a predicted entry's window, "+54s…57s", as the JSON's
// earliest and latest seconds say it; one offset when they round alike.
func windowWord(r Result, e *timeline.Entry) string {
	if r.Skipped != "" || e == nil {
		return "-"
	}
	lo, hi := timeline.Offset(e.Earliest), timeline.Offset(e.Latest)
	if lo == hi {
		return lo
	}
	return lo + "…" + strings.TrimPrefix(hi, "+")
}

func restartsSpan(r Result, o Outcome) string {
	if r.Skipped != "" {
		return "-"
	}
	return span(o.RestartsMin, o.RestartsMax)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// failures explains each failed fault and gives its advice.
func (r Report) failures(b *strings.Builder) {
	for _, res := range r.Failed() {
		o := res.Deciding()
		b.WriteString("\n")
		if res.Must == MustCatch {
			Wrap(b, "", fmt.Sprintf("%s: missed. The app %s, and no probe restarted it in %s.", res.Fault, res.Story, r.window()))
		} else {
			Wrap(b, "", fmt.Sprintf("%s: %s of a healthy app that %s; the first at %s, by the %s probe.", res.Fault,
				falseRestarts(o.Restarts), res.Story, firstWord(res, o.First), o.KilledBy))
		}
		Wrap(b, "  fix: ", res.Advice)
	}
}

func falseRestarts(n int) string {
	if n == 1 {
		return "1 false restart"
	}
	return fmt.Sprintf("%d false restarts", n)
}

// notes lists adaptations, skipped faults and prediction mismatches.
func (r Report) notes(b *strings.Builder) {
	var lines []string
	lines = append(lines, r.Check.Config.Notes...)
	if r.Check.Capped {
		lines = append(lines, fmt.Sprintf("the watch was capped at %s; a fault caught later counts as missed (set --minutes to watch longer).", r.window()))
	}
	for _, res := range r.Results {
		switch {
		case res.Skipped != "":
			lines = append(lines, fmt.Sprintf("%s skipped: %s.", res.Fault, res.Skipped))
		case res.Note != "":
			lines = append(lines, fmt.Sprintf("%s: %s.", res.Fault, res.Note))
		}
		if res.Mismatch != "" {
			lines = append(lines, fmt.Sprintf("%s differs from the prediction: %s.", res.Fault, res.Mismatch))
		}
	}
	if late := r.lateStarts(); late != "" {
		lines = append(lines, "the cluster started some containers late ("+late+"); their predictions start from there.")
	}
	if r.Note != "" {
		lines = append(lines, r.Note+".")
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "\nNotes:\n")
	for _, l := range lines {
		Wrap(b, "  - ", l)
	}
}

// lateStarts lists the drills whose prediction was conditioned on a late
// container start: "hang at +11s, deadlock at +9s".
func (r Report) lateStarts() string {
	var parts []string
	for _, res := range r.Results {
		if res.StartedAt > 0 {
			parts = append(parts, res.Fault+" at "+timeline.Offset(res.StartedAt))
		}
	}
	return strings.Join(parts, ", ")
}

// verdict is the last line: what a CI log shows first.
func (r Report) verdict(b *strings.Builder) {
	failed := len(r.Failed())
	spared, falseN := 0, 0
	for _, res := range r.Results {
		if res.Must == MustSpare && res.Skipped == "" {
			spared++
			falseN += res.Deciding().Restarts
		}
	}
	word := "PASS"
	if failed > 0 {
		word = "FAIL"
	}
	fmt.Fprintf(b, "\n%s: %d of %d faults as they should be", word, len(r.Results)-failed, len(r.Results))
	if spared > 0 {
		fmt.Fprintf(b, "; %s of a healthy app", falseRestarts(falseN))
	}
	fmt.Fprintln(b, ".")
}

// textWidth is where report lines wrap: a projector shows about 100 columns.
const textWidth = 96

// Wrap writes text after prefix, wrapped at textWidth, continuation lines
// indented to the text.
func Wrap(b *strings.Builder, prefix, text string) {
	indent := strings.Repeat(" ", len([]rune(prefix)))
	line := prefix
	for i, w := range strings.Fields(text) {
		if i > 0 && len([]rune(line))+1+len([]rune(w)) > textWidth {
			b.WriteString(line + "\n")
			line = indent + w
			continue
		}
		if i > 0 {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
}
