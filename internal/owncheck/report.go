package owncheck

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
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
	if f.Advice != "" {
		probecheck.Wrap(b, "  advice     ", f.Advice)
	}
}

// WriteJUnit prints the report as JUnit XML for CI: one test case per
// fault, failing or skipped as the text says, its block as the text.
func (r Report) WriteJUnit(w io.Writer) error {
	k := r.Check
	props := map[string]string{"workload": k.Input.Kind + "/" + k.Name, "container": k.Container,
		"images": strings.Join(k.Images(), ","), "budget": k.Budget.String(), "namespace": r.Result.Namespace}
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
	fmt.Fprintf(b, "probedrill check: your own app, %s %s, container %s (%s)\n", k.Input.Kind, k.Name, k.Container,
		strings.Join(k.Input.Sources, ", "))
	for _, img := range k.Images() {
		how := "already on the nodes"
		if contains(r.Loaded, img) {
			how = "loaded into the nodes from this machine"
		}
		if !k.Options.PullNever {
			how = "as the cluster pulls it"
		}
		fmt.Fprintf(b, "  image    %s (%s)\n", img, how)
	}
	fmt.Fprintf(b, "  budget   %s\n", k.Budget)
	if r.Server != "" {
		fmt.Fprintf(b, "  server   %s\n", r.Server)
	}
	for _, line := range kubeletLines(k.Options.Kubelets) {
		probecheck.Wrap(b, "  kubelet  ", line)
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// --- JSON (docs/check.md, "JSON"): seconds with one decimal, as the text.

type jsonReport struct {
	Schema    string        `json:"schema"`
	Mode      string        `json:"mode"`
	Workload  jsonWorkload  `json:"workload"`
	Budget    jsonBudget    `json:"budget"`
	Cluster   string        `json:"clusterNote,omitempty"`
	Server    string        `json:"serverVersion,omitempty"`
	Kubelets  []jsonKubelet `json:"kubelets,omitempty"`
	Namespace string        `json:"namespace"`
	Changed   []string      `json:"changed,omitempty"`
	Ignored   []string      `json:"ignored,omitempty"`
	Pass      bool          `json:"pass"`
	Faults    []jsonFault   `json:"faults"`
}

type jsonKubelet struct {
	Kubelet
	Known                 bool    `json:"known"`
	InitialBackOffSeconds float64 `json:"initialBackOffSeconds"`
	MaxBackOffSeconds     float64 `json:"maxBackOffSeconds"`
	SyncFrequencySeconds  float64 `json:"syncFrequencySeconds,omitempty"`
}

type jsonWorkload struct {
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Container string   `json:"container"`
	Sources   []string `json:"sources"`
	Images    []string `json:"images"`
	Loaded    []string `json:"loaded,omitempty"`
}

type jsonBudget struct {
	Probe               string   `json:"probe,omitempty"`
	InitialDelaySeconds float64  `json:"initialDelaySeconds"`
	PeriodSeconds       float64  `json:"periodSeconds"`
	FailureThreshold    int32    `json:"failureThreshold"`
	Seconds             *float64 `json:"seconds,omitempty"`
}

type jsonFault struct {
	Fault          string       `json:"fault"`
	Must           string       `json:"must"`
	Result         string       `json:"result"`
	Predicted      string       `json:"predicted"`
	Observed       string       `json:"observed"`
	Advice         string       `json:"advice,omitempty"`
	NeedMinSeconds *float64     `json:"needMinSeconds,omitempty"`
	NeedMaxSeconds *float64     `json:"needMaxSeconds,omitempty"`
	Skipped        string       `json:"skipped,omitempty"`
	Mismatch       []string     `json:"mismatch,omitempty"`
	Starts         []jsonStart  `json:"starts,omitempty"`
	Signals        []jsonSignal `json:"signals,omitempty"`
}

type jsonSignal struct {
	Signal         string   `json:"signal"`
	Ended          bool     `json:"ended"`
	ExitCode       *int32   `json:"exitCode,omitempty"`
	Reason         string   `json:"reason,omitempty"`
	EndedSeconds   *float64 `json:"endedSeconds,omitempty"`
	IgnoredSigterm bool     `json:"ignoredSigterm,omitempty"`
	Restarted      bool     `json:"restarted"`
	RestartSeconds *float64 `json:"restartSeconds,omitempty"`
	ServingSeconds *float64 `json:"servingSeconds,omitempty"`
	BackOff        string   `json:"backOff,omitempty"`
}

type jsonStart struct {
	Gauged         bool     `json:"gauged"`
	NeedSeconds    *float64 `json:"needSeconds,omitempty"`
	StartedSeconds *float64 `json:"startedSeconds,omitempty"`
	ReadySeconds   *float64 `json:"readySeconds,omitempty"`
	Killed         bool     `json:"killed"`
	KillingSeconds *float64 `json:"killingSeconds,omitempty"`
	EndedSeconds   *float64 `json:"endedSeconds,omitempty"`
	ExitCode       *int32   `json:"exitCode,omitempty"`
	Reason         string   `json:"reason,omitempty"`
	Unhealthy      []string `json:"unhealthy,omitempty"`
	Killing        []string `json:"killing,omitempty"`
}

// WriteJSON prints the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.json())
}

func (r Report) json() jsonReport {
	k := r.Check
	out := jsonReport{Schema: Schema, Mode: "own-app", Cluster: r.Note, Server: r.Server, Namespace: r.Result.Namespace,
		Changed: k.Notes, Ignored: k.Input.Ignored, Pass: len(r.Result.Failed()) == 0,
		Workload: jsonWorkload{Kind: k.Input.Kind, Name: k.Name, Container: k.Container, Sources: k.Input.Sources,
			Images: k.Images(), Loaded: r.Loaded},
		Budget: jsonBudget{Probe: k.Budget.Probe, InitialDelaySeconds: k.Budget.InitialDelay.Seconds(),
			PeriodSeconds: k.Budget.Period.Seconds(), FailureThreshold: k.Budget.FailureThreshold, Seconds: sec(k.Budget.Total)},
	}
	for _, kl := range k.Options.Kubelets {
		initial, maxDelay := kl.BackOff()
		out.Kubelets = append(out.Kubelets, jsonKubelet{Kubelet: kl, Known: kl.Known(), InitialBackOffSeconds: initial.Seconds(),
			MaxBackOffSeconds: maxDelay.Seconds(), SyncFrequencySeconds: kl.SyncFrequency.Seconds()})
	}
	for _, f := range r.Result.Faults {
		jf := jsonFault{Fault: f.Fault, Must: f.Must, Result: strings.ToLower(verdict(f.Pass)), Predicted: f.Predicted,
			Observed: f.Observed, Advice: f.Advice, NeedMinSeconds: sec(f.NeedMin), NeedMaxSeconds: sec(f.NeedMax), Skipped: f.Skipped,
			Mismatch: f.Mismatch}
		if f.Skipped != "" {
			jf.Result = "skipped"
		}
		for _, st := range f.Crash {
			js := jsonSignal{Signal: "SIG" + st.Signal, Ended: st.Ended, Reason: st.Reason, IgnoredSigterm: st.IgnoredTerm,
				Restarted: st.Restarted, RestartSeconds: sec(st.RestartAfter), ServingSeconds: sec(st.ServingAfter), BackOff: st.BackOff}
			if st.Ended {
				code := st.ExitCode
				js.ExitCode, js.EndedSeconds = &code, secOrZero(st.EndedAfter)
			}
			jf.Signals = append(jf.Signals, js)
		}
		for _, s := range f.Starts {
			js := jsonStart{Gauged: s.Gauged, StartedSeconds: sec(s.Started), ReadySeconds: sec(s.Ready), Killed: s.Killed,
				KillingSeconds: sec(s.KillSeen), Unhealthy: s.Unhealthy, Killing: s.Killing}
			if s.Answered {
				js.NeedSeconds = sec(s.Need)
			}
			if s.Killed {
				code := s.ExitCode
				js.EndedSeconds, js.ExitCode, js.Reason = sec(s.Ended), &code, s.Reason
			}
			jf.Starts = append(jf.Starts, js)
		}
		out.Faults = append(out.Faults, jf)
	}
	return out
}

// secOrZero is sec, but 0 is a value (ended at once).
func secOrZero(d time.Duration) *float64 {
	v := math.Round(max(d, 0).Seconds()*10) / 10
	return &v
}

// sec is d in seconds rounded to 0.1 as the text prints it; nil for none.
func sec(d time.Duration) *float64 {
	if d <= 0 {
		return nil
	}
	v := math.Round(d.Seconds()*10) / 10
	return &v
}
