package owncheck

import (
	"encoding/json"
	"io"
	"math"
	"strings"
	"time"
)

// --- JSON (docs/check.md, "JSON"): seconds with one decimal, as the text.

type jsonReport struct {
	Schema   string        `json:"schema"`
	Mode     string        `json:"mode"`
	Workload jsonWorkload  `json:"workload"`
	Budget   jsonBudget    `json:"budget"`
	Cluster  string        `json:"clusterNote,omitempty"`
	Server   string        `json:"serverVersion,omitempty"`
	Nodes    string        `json:"nodes,omitempty"`
	Kubelets []jsonKubelet `json:"kubelets,omitempty"`
	Changed  []string      `json:"changed,omitempty"`
	Ignored  []string      `json:"ignored,omitempty"`
	Pass     bool          `json:"pass"`
	// TookSeconds is the whole check's wall-clock time.
	TookSeconds *float64    `json:"tookSeconds,omitempty"`
	Faults      []jsonFault `json:"faults"`
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
	// Dependencies: "Service/redis (backed by Deployment/redis)".
	Dependencies []string `json:"dependencies,omitempty"`
}

type jsonBudget struct {
	Probe               string   `json:"probe,omitempty"`
	InitialDelaySeconds float64  `json:"initialDelaySeconds"`
	PeriodSeconds       float64  `json:"periodSeconds"`
	FailureThreshold    int32    `json:"failureThreshold"`
	Seconds             *float64 `json:"seconds,omitempty"`
}

type jsonFault struct {
	Fault          string        `json:"fault"`
	Namespace      string        `json:"namespace,omitempty"`
	TookSeconds    *float64      `json:"tookSeconds,omitempty"`
	Must           string        `json:"must"`
	Result         string        `json:"result"`
	Predicted      string        `json:"predicted"`
	Observed       string        `json:"observed"`
	Advice         string        `json:"advice,omitempty"`
	NeedMinSeconds *float64      `json:"needMinSeconds,omitempty"`
	NeedMaxSeconds *float64      `json:"needMaxSeconds,omitempty"`
	Skipped        string        `json:"skipped,omitempty"`
	Mismatch       []string      `json:"mismatch,omitempty"`
	Starts         []jsonStart   `json:"starts,omitempty"`
	Signals        []jsonSignal  `json:"signals,omitempty"`
	Injected       *jsonInjected `json:"injected,omitempty"`
}

type jsonInjected struct {
	Did                 string   `json:"did"`
	Undoes              string   `json:"undoes"`
	LastedSeconds       *float64 `json:"lastedSeconds"`
	PlannedSeconds      *float64 `json:"plannedSeconds,omitempty"`
	LivenessFailures    int      `json:"livenessFailures"`
	ReadinessFailures   int      `json:"readinessFailures"`
	FirstFailureSeconds *float64 `json:"firstFailureSeconds,omitempty"`
	KillingSeconds      *float64 `json:"killingSeconds,omitempty"`
	EndedSeconds        *float64 `json:"endedSeconds,omitempty"`
	ExitCode            *int32   `json:"exitCode,omitempty"`
	Reason              string   `json:"reason,omitempty"`
	RestartSeconds      *float64 `json:"restartSeconds,omitempty"`
	ServingSeconds      *float64 `json:"servingSeconds,omitempty"`
	WatchedSeconds      *float64 `json:"watchedSeconds"`
	Unhealthy           []string `json:"unhealthy,omitempty"`
}

// jsonOf is in's JSON; nil for none.
func jsonOf(in *Injected) *jsonInjected {
	if in == nil {
		return nil
	}
	j := &jsonInjected{Did: in.Did, Undoes: in.Undoes, LastedSeconds: secOrZero(in.Lasted), PlannedSeconds: sec(in.Planned), LivenessFailures: in.LivenessFailures, ReadinessFailures: in.ReadinessFailures,
		FirstFailureSeconds: sec(in.FirstFailure), KillingSeconds: sec(in.Killing), EndedSeconds: sec(in.Ended),
		RestartSeconds: sec(in.Restarted), ServingSeconds: sec(in.Serving), WatchedSeconds: secOrZero(in.Watched), Unhealthy: in.Unhealthy}
	if in.Ended > 0 {
		code := in.ExitCode
		j.ExitCode, j.Reason = &code, in.Reason
	}
	return j
}

type jsonSignal struct {
	Signal         string   `json:"signal"`
	Ended          bool     `json:"ended"`
	ExitCode       *int32   `json:"exitCode,omitempty"`
	Reason         string   `json:"reason,omitempty"`
	EndedSeconds   *float64 `json:"endedSeconds,omitempty"`
	IgnoredSigterm bool     `json:"ignoredSigterm,omitempty"`
	Restarted      bool     `json:"restarted"`
	RestartCount   int32    `json:"restartCount"`
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
	out := jsonReport{Schema: Schema, Mode: "own-app", Cluster: r.Note, Server: r.Server, Nodes: r.Nodes,
		Changed: k.Notes, Ignored: k.Input.Ignored, Pass: len(r.Result.Failed()) == 0, TookSeconds: sec(r.Result.Took),
		Workload: jsonWorkload{Kind: k.Input.Kind, Name: k.Name, Container: k.Container, Sources: k.Input.Sources,
			Images: k.Images(), Loaded: r.Loaded, Dependencies: k.dependencyNames()},
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
			Mismatch: f.Mismatch, Namespace: f.Namespace, TookSeconds: sec(f.Took), Injected: jsonOf(f.Injected)}
		if f.Skipped != "" {
			jf.Result = "skipped"
		}
		for _, st := range f.Crash {
			js := jsonSignal{Signal: "SIG" + st.Signal, Ended: st.Ended, Reason: st.Reason, IgnoredSigterm: st.IgnoredTerm,
				Restarted: st.Restarted, RestartCount: st.Restarts, RestartSeconds: sec(st.RestartAfter), ServingSeconds: sec(st.ServingAfter), BackOff: st.BackOff}
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
