package probecheck

import (
	"encoding/json"
	"io"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// The JSON report is for CI: stable names, times in seconds from the pod's
// creation, one object per fault.

type jsonReport struct {
	Mode          string            `json:"mode"`
	StandIn       jsonStandIn       `json:"standIn"`
	File          string            `json:"file"`
	Source        string            `json:"source"`
	Port          int32             `json:"port"`
	HealthPath    string            `json:"healthPath,omitempty"`
	Probes        map[string]string `json:"probes"`
	WindowSeconds float64           `json:"windowSeconds"`
	DryRun        bool              `json:"dryRun"`
	Pass          bool              `json:"pass"`
	FalseRestarts int               `json:"falseRestarts"`
	Notes         []string          `json:"notes,omitempty"`
	Faults        []jsonResult      `json:"faults"`
}

// jsonStandIn says what ran in place of what: faultyapp's image, and the
// user's image that was not run ("" for a bare probe).
type jsonStandIn struct {
	Image  string `json:"image"`
	NotRun string `json:"notRun,omitempty"`
}

type jsonResult struct {
	Fault     string       `json:"fault"`
	Must      Must         `json:"must"`
	App       string       `json:"app,omitempty"`
	Result    string       `json:"result"` // pass, fail, skipped
	Skipped   string       `json:"skipped,omitempty"`
	Namespace string       `json:"namespace,omitempty"`
	Observed  *jsonOutcome `json:"observed,omitempty"`
	Predicted *jsonOutcome `json:"predicted,omitempty"`
	Advice    string       `json:"advice,omitempty"`
	Mismatch  string       `json:"mismatch,omitempty"`
	Note      string       `json:"note,omitempty"`
	// StartedAtSeconds: the cluster started the first container this late,
	// and the prediction was made again from there.
	StartedAtSeconds *float64 `json:"startedAtSeconds,omitempty"`
}

type jsonOutcome struct {
	Restarts                    int      `json:"restarts"`
	RestartsMin                 int      `json:"restartsMin"`
	RestartsMax                 int      `json:"restartsMax"`
	FirstRestartSeconds         *float64 `json:"firstRestartSeconds,omitempty"`
	FirstRestartEarliestSeconds *float64 `json:"firstRestartEarliestSeconds,omitempty"`
	FirstRestartLatestSeconds   *float64 `json:"firstRestartLatestSeconds,omitempty"`
	KilledBy                    string   `json:"killedBy,omitempty"`
}

// WriteJSON prints the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.json())
}

func (r Report) json() jsonReport {
	c := r.Check.Config
	out := jsonReport{
		Mode: "stand-in", StandIn: jsonStandIn{Image: r.Check.standInImage(), NotRun: c.Input.Image},
		File: c.Input.File, Source: c.source(), Port: c.Port, HealthPath: c.HealthPath,
		Probes: map[string]string{}, WindowSeconds: r.Check.Window.Seconds(), DryRun: r.DryRun,
		Pass: len(r.Failed()) == 0, Notes: c.Notes,
	}
	for name, p := range map[string]*corev1.Probe{"liveness": c.Liveness, "readiness": c.Readiness, "startup": c.Startup} {
		if p != nil {
			out.Probes[name] = describeProbe(p)
		}
	}
	for _, res := range r.Results {
		out.Faults = append(out.Faults, jsonResultOf(res))
		if res.Must == MustSpare && res.Skipped == "" {
			out.FalseRestarts += res.Deciding().Restarts
		}
	}
	return out
}

func jsonResultOf(r Result) jsonResult {
	out := jsonResult{
		Fault: r.Fault, Must: r.Must, App: r.App, Result: "pass", Skipped: r.Skipped,
		Namespace: r.Namespace, Advice: r.Advice, Mismatch: r.Mismatch, Note: r.Note,
	}
	if r.StartedAt > 0 {
		out.StartedAtSeconds = secondsOf(r.StartedAt)
	}
	switch {
	case r.Skipped != "":
		out.Result = "skipped"
		return out
	case !r.Pass:
		out.Result = "fail"
	}
	pred := jsonOutcomeOf(r.Predicted)
	out.Predicted = &pred
	if r.Observed != nil {
		obs := jsonOutcomeOf(*r.Observed)
		obs.FirstRestartEarliestSeconds, obs.FirstRestartLatestSeconds = nil, nil
		out.Observed = &obs
	}
	return out
}

func jsonOutcomeOf(o Outcome) jsonOutcome {
	out := jsonOutcome{Restarts: o.Restarts, RestartsMin: o.RestartsMin, RestartsMax: o.RestartsMax, KilledBy: o.KilledBy}
	if e := o.First; e != nil {
		out.FirstRestartSeconds = secondsOf(e.At)
		out.FirstRestartEarliestSeconds = secondsOf(e.Earliest)
		out.FirstRestartLatestSeconds = secondsOf(e.Latest)
	}
	return out
}

// secondsOf is a duration in seconds, rounded as the text report rounds
// it (timeline.Offset: whole seconds from 10 s, tenths below), so that
// both state the same numbers.
func secondsOf(d time.Duration) *float64 {
	unit := time.Second
	if d < 10*time.Second && d > -10*time.Second {
		unit = 100 * time.Millisecond
	}
	s := d.Round(unit).Seconds()
	return &s
}
