package owncheck

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/internal/report"
)

// Report is what check prints about the team's own app.
type Report struct {
	Check  *Check
	Result *Result
	// Loaded are the images check loaded onto the nodes.
	Loaded []string
	// Note is a caveat about the cluster ("" for probedrill's).
	Note string
	// Server is the API server's version.
	Server string
	// Nodes says how check reached the nodes ("" when it could not).
	Nodes string
}

// Schema names the JSON report's version (docs/check.md, "JSON").
const Schema = "probedrill.dev/check/v1"

// Err is the verdict as the command's error: nil when every fault passed.
func (r Report) Err() error {
	failed := r.Result.Failed()
	if len(failed) == 0 {
		return nil
	}
	names := make([]string, len(failed))
	for i, f := range failed {
		names[i] = f.Fault
	}
	return fmt.Errorf("the probes failed %d of %d faults: %s", len(failed), len(r.Result.Faults), strings.Join(names, ", "))
}

// WriteText prints the report for a terminal or a projector: one block
// per fault, lines wrapped under 100 columns.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	r.header(&b)
	for _, f := range r.Result.Faults {
		writeFault(&b, f)
	}
	n, failed := len(r.Result.Faults), len(r.Result.Failed())
	fmt.Fprintf(&b, "\n%s: %d of %d faults as they should be.\n", verdict(failed == 0), n-failed, n)
	_, err := io.WriteString(w, b.String())
	return err
}

// kubeletLines is one line per distinct kubelet, naming its nodes.
func kubeletLines(ks []Kubelet) []string {
	var order []string
	nodes := map[string][]string{}
	for _, k := range ks {
		line := strings.TrimPrefix(k.String(), k.Node+" ")
		if _, ok := nodes[line]; !ok {
			order = append(order, line)
		}
		nodes[line] = append(nodes[line], k.Node)
	}
	out := make([]string, len(order))
	for i, line := range order {
		out[i] = line + " (" + strings.Join(nodes[line], ", ") + ")"
	}
	return out
}

// writeFault prints one fault's block.
func writeFault(b *strings.Builder, f FaultResult) {
	if f.Skipped != "" {
		fmt.Fprintf(b, "\n%-12s SKIPPED   must: %s\n", f.Fault, f.Must)
		probecheck.Wrap(b, "  why        ", f.Skipped)
		return
	}
	fmt.Fprintf(b, "\n%-12s %s   must: %s\n", f.Fault, verdict(f.Pass), f.Must)
	probecheck.Wrap(b, "  predicted  ", f.Predicted)
	probecheck.Wrap(b, "  observed   ", f.Observed)
	if len(f.Starts) > 0 {
		writeStarts(b, f)
	}
	if len(f.Crash) > 0 {
		writeCrash(b, f.Crash)
	}
	if in := f.Injected; in != nil {
		probecheck.Wrap(b, "  injected   ", in.Did)
		probecheck.Wrap(b, "  undone     ", fmt.Sprintf("after %s%s: %s", secs1(in.Lasted), plannedWords(in), in.Undoes))
		for _, m := range f.Mismatch { // crash words its own in the advice
			probecheck.Wrap(b, "  model      ", m)
		}
	}
	if f.Advice != "" {
		probecheck.Wrap(b, "  advice     ", f.Advice)
	}
}

// WriteJUnit prints the report as JUnit XML for CI: one test case per
// fault, failing or skipped as the text says, its block as the text.
func (r Report) WriteJUnit(w io.Writer) error {
	k := r.Check
	props := map[string]string{"workload": k.Input.Kind + "/" + k.Name, "container": k.Container,
		"images": strings.Join(k.Images(), ","), "budget": k.Budget.String()}
	if r.Note != "" {
		props["cluster"] = r.Note
	}
	var cases []report.Case
	for _, f := range r.Result.Faults {
		var b strings.Builder
		writeFault(&b, f)
		c := report.Case{Name: f.Fault + ": " + f.Must, Time: f.Took, Text: strings.TrimLeft(b.String(), "\n")}
		switch {
		case f.Skipped != "":
			c.Skipped = f.Skipped
		case !f.Pass:
			c.Failure = f.Observed
		}
		cases = append(cases, c)
	}
	return report.WriteJUnitSuite(w, "probedrill check "+k.Input.Kind+"/"+k.Name, junitClass, r.Result.Started,
		r.Result.Took, props, cases)
}

// junitClass groups check's test cases in CI views.
const junitClass = "probedrill.check"

// writeCrash prints one line per signal, in seconds after it.
func writeCrash(b *strings.Builder, steps []Signalled) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  signal\texit\tended\trestarted\tserving\t  (seconds after the signal)")
	for _, st := range steps {
		exit, ended := "-", "-"
		if st.Ended {
			exit, ended = fmt.Sprintf("%d %s", st.ExitCode, st.Reason), num(st.EndedAfter)
		}
		if st.IgnoredTerm {
			ended = "ignored"
		}
		fmt.Fprintf(tw, "  SIG%s\t%s\t%s\t%s\t%s\t\n", st.Signal, exit, ended, num(st.RestartAfter), num(st.ServingAfter))
	}
	_ = tw.Flush()
	for _, st := range steps {
		if st.BackOff != "" {
			probecheck.Wrap(b, "  kubelet    ", fmt.Sprintf("after SIG%s: CrashLoopBackOff, %s", st.Signal, st.BackOff))
		}
	}
}

func verdict(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

func (r Report) header(b *strings.Builder) {
	k := r.Check
	fmt.Fprintf(b, "probedrill check: your own app, %s %s, container %s\n", k.Input.Kind, k.Name, k.Container)
	probecheck.Wrap(b, "  input    ", strings.Join(k.Input.Sources, ", "))
	for _, img := range k.Images() {
		how := "already on the nodes"
		if slices.Contains(r.Loaded, img) {
			how = "loaded into the nodes from this machine"
		}
		if !k.Options.PullNever {
			how = "as the cluster pulls it"
		}
		fmt.Fprintf(b, "  image    %s (%s)\n", img, how)
	}
	fmt.Fprintf(b, "  budget   %s\n", k.Budget)
	for _, d := range k.dependencyNames() {
		probecheck.Wrap(b, "  depends  ", d+": runs beside it in every fault's namespace")
	}
	if r.Server != "" {
		fmt.Fprintf(b, "  server   %s\n", r.Server)
	}
	for _, line := range kubeletLines(k.Options.Kubelets) {
		probecheck.Wrap(b, "  kubelet  ", line)
	}
	if r.Nodes != "" {
		probecheck.Wrap(b, "  nodes    ", r.Nodes)
	}
	if r.Note != "" {
		fmt.Fprintf(b, "  cluster  %s\n", r.Note)
	}
	for _, n := range k.Notes {
		probecheck.Wrap(b, "  changed  ", n)
	}
	if len(k.Input.Ignored) > 0 {
		probecheck.Wrap(b, "  ignored  ", strings.Join(k.Input.Ignored, ", "))
	}
}

// writeStarts prints one line per start, in seconds from the container's
// start, and the kubelet's kill message.
func writeStarts(b *strings.Builder, f FaultResult) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  start\tanswers\tstarted\tready\tended\texit\t  (seconds from the container's start)")
	for i, s := range f.Starts {
		ended, exit := "-", "-"
		if s.Killed {
			ended, exit = num(s.Ended), fmt.Sprintf("%d %s", s.ExitCode, s.Reason)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\t\n", i+1, answers(s), num(s.Started), num(s.Ready), ended, exit)
	}
	_ = tw.Flush()
	for _, s := range f.Starts {
		if len(s.Killing) > 0 {
			probecheck.Wrap(b, "  kubelet    ", s.Killing[0])
			break
		}
	}
}

func answers(s Start) string {
	switch {
	case !s.Gauged:
		return "-"
	case !s.Answered:
		return "never"
	}
	return num(s.Need)
}

// num is seconds with one decimal, "-" for none.
func num(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", d.Seconds())
}

// plannedWords says when a fault that was to hold a while ended early.
func plannedWords(in *Injected) string {
	if in.Planned == 0 || in.Lasted >= in.Planned {
		return ""
	}
	return fmt.Sprintf(" (of %s planned: the kill ended it)", secs1(in.Planned))
}
