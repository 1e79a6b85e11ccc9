// Package predictdoc is a prediction for machines: what `probedrill predict
// -o json|yaml` prints, a CI gate or another tool reads. Times are seconds
// from the pod's creation; docs/predict.md describes every field, and
// docs/predict.schema.json is its JSON Schema.
package predictdoc

import (
	"fmt"
	"io"
	"time"

	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Version is the document's schema version; it changes only when a field
// changes meaning or goes away.
const Version = 1

// Document is one scenario's prediction.
type Document struct {
	Version  int    `json:"version"`
	Scenario string `json:"scenario"`
	Title    string `json:"title,omitempty"`
	// Source is the scenario file; empty for a catalog scenario.
	Source         string  `json:"source,omitempty"`
	Kubelet        Kubelet `json:"kubelet"`
	HorizonSeconds float64 `json:"horizonSeconds"`
	// Unpredictable says why the entries hold only what is certain (a random
	// fault, a leak without a memory limit).
	Unpredictable string  `json:"unpredictable,omitempty"`
	Entries       []Entry `json:"entries"`
}

// Kubelet is the kubelet the prediction models.
type Kubelet struct {
	Version                 string      `json:"version"`
	MaxRestartPeriodSeconds float64     `json:"maxRestartPeriodSeconds"`
	Calibration             Calibration `json:"calibration"`
}

// Calibration is where the latencies behind the windows come from.
type Calibration struct {
	Source    calibration.Source `json:"source"`
	Latencies map[string]Span    `json:"latencies"`
	// Removals is predict.Kubelet.Removals: how many kills of one drill
	// the windows allow to find the exited container deleted.
	Removals int `json:"removals,omitempty"`
}

// Span is one latency: its smallest, usual and largest value.
type Span struct {
	MinSeconds     float64 `json:"minSeconds"`
	NominalSeconds float64 `json:"nominalSeconds"`
	MaxSeconds     float64 `json:"maxSeconds"`
}

// Entry is one predicted event: nominal time and window.
type Entry struct {
	Kind            timeline.Kind `json:"kind"`
	Instance        int           `json:"instance"`
	Container       string        `json:"container"`
	AtSeconds       float64       `json:"atSeconds"`
	EarliestSeconds float64       `json:"earliestSeconds"`
	LatestSeconds   float64       `json:"latestSeconds"`
	// Optional entries may not happen in every equally likely run.
	Optional bool   `json:"optional,omitempty"`
	ExitCode *int32 `json:"exitCode,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Message  string `json:"message,omitempty"`
	Why      string `json:"why"`
	Cause    Cause  `json:"cause"`
}

// Cause is timeline.Cause with durations in seconds.
type Cause struct {
	Code           string  `json:"code"`
	Probe          string  `json:"probe,omitempty"`
	Failure        int     `json:"failure,omitempty"`
	Threshold      int     `json:"threshold,omitempty"`
	Detail         string  `json:"detail,omitempty"`
	HTTPStatus     int     `json:"httpStatus,omitempty"`
	FaultBeganAt   int     `json:"faultBeganAt,omitempty"`
	Restart        int     `json:"restart,omitempty"`
	BackOffSeconds float64 `json:"backOffSeconds,omitempty"`
	// OtherBackOffSeconds: timeline.Cause.OtherBackOffs.
	OtherBackOffSeconds []float64 `json:"otherBackOffSeconds,omitempty"`
	GraceSeconds        float64   `json:"graceSeconds,omitempty"`
	ExitCode            *int32    `json:"exitCode,omitempty"`
}

// New builds the document of prediction p of scenario s under kubelet k,
// whose latencies came from calibration, with the
// entries whose window opens by horizon (as the text shows them). source
// is the file s came from, empty for the catalog.
func New(s *scenarios.Scenario, source string, k predict.Kubelet, from calibration.Source, p *predict.Prediction, horizon time.Duration) (*Document, error) {
	k = k.WithDefaults()
	d := &Document{
		Version: Version, Scenario: s.Name, Title: s.Title, Source: source,
		Kubelet: Kubelet{
			Version:                 predict.KubernetesVersion,
			MaxRestartPeriodSeconds: seconds(k.MaxContainerRestartPeriod),
			Calibration:             Calibration{Source: from, Latencies: latencies(k), Removals: k.Removals},
		},
		HorizonSeconds: seconds(horizon),
		Unpredictable:  p.Unpredictable,
		Entries:        []Entry{},
	}
	for _, e := range p.Timeline.Entries {
		if e.Earliest > horizon {
			continue
		}
		if e.Cause == nil {
			return nil, fmt.Errorf("internal: predicted %s has no cause", e)
		}
		d.Entries = append(d.Entries, entry(e))
	}
	return d, nil
}

func entry(e timeline.Entry) Entry {
	c := e.Cause
	return Entry{
		Kind: e.Kind, Instance: e.Instance, Container: e.Container,
		AtSeconds: seconds(e.At), EarliestSeconds: seconds(e.Earliest), LatestSeconds: seconds(e.Latest),
		Optional: e.Optional, ExitCode: e.ExitCode, Reason: e.Reason, Message: e.Message, Why: e.Why,
		Cause: Cause{
			Code: c.Code, Probe: c.Probe, Failure: c.Failure, Threshold: c.Threshold, Detail: c.Detail,
			HTTPStatus: c.HTTPStatus, FaultBeganAt: c.FaultBeganAt, Restart: c.Restart, ExitCode: c.ExitCode,
			BackOffSeconds: seconds(c.BackOff), GraceSeconds: seconds(c.Grace), OtherBackOffSeconds: allSeconds(c.OtherBackOffs),
		},
	}
}

// allSeconds is seconds of each, nil for none (omitted from the JSON).
func allSeconds(ds []time.Duration) []float64 {
	var out []float64
	for _, d := range ds {
		out = append(out, seconds(d))
	}
	return out
}

// latencies names the model's latency spans as docs/predict.md does.
func latencies(k predict.Kubelet) map[string]Span {
	return map[string]Span{
		"firstStart": span(k.FirstStart), "workerLead": span(k.WorkerLead), "restart": span(k.RestartLatency),
		"exit": span(k.ExitLatency), "status": span(k.StatusDelay), "probe": span(k.ProbeLatency),
		"exec": span(k.ExecLatency), "listen": span(k.ListenLatency), "kill": span(k.KillLatency),
	}
}

func span(s predict.Span) Span {
	return Span{MinSeconds: seconds(s.Min), NominalSeconds: seconds(s.Nominal), MaxSeconds: seconds(s.Max)}
}

// seconds rounds to milliseconds: the model's finest step, and what keeps
// the document free of float noise.
func seconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond).Milliseconds()) / 1000
}

// Write prints d as JSON, or YAML for cli.FormatYAML.
func Write(w io.Writer, format string, d *Document) error {
	return cli.WriteData(w, format, d)
}
