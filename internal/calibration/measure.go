// Package calibration measures a cluster's latencies from what drills
// observed: how long the kubelet and the runtime took between the steps
// the model (internal/predict, Kubelet's spans) cannot know exactly. Every
// sample is a difference of two API timestamps, so it is good to a second
// (docs/kubelet-facts.md); the model's spans are read from them, never the
// other way round.
package calibration

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Latency names one measured step; each matches a predict.Kubelet span.
type Latency string

// The latencies an observed timeline shows.
const (
	// FirstStart: pod creation → the first container runs (FirstStart).
	FirstStart Latency = "firstStart"
	// Restart: an exit → the next container runs, when no CrashLoopBackOff
	// held it (the kill's own sync restarts it): RestartLatency plus the
	// time the kubelet takes to see the exit.
	Restart Latency = "restart"
	// Exit: Killing → the container's exit, when it exited at SIGTERM
	// (143, or 0 after a drain): ExitLatency.
	Exit Latency = "exit"
	// Kill: the last probe failure before a Killing → that Killing
	// (KillLatency plus the event recorder's delay).
	Kill Latency = "kill"
	// Status: a container start → the kubelet's status shows it
	// (StatusDelay), read as its Ready in a pod whose readiness follows the
	// start alone (no readiness or startup probe): the kubelet sets Ready
	// in the status that first shows the container running.
	Status Latency = "status"
	// Ready: a container start → its first Ready in a pod with a readiness
	// or startup probe (StatusDelay plus the probe's first success).
	Ready Latency = "ready"
	// WorkerLead: the probe workers start → the first container runs
	// (the model's WorkerLead, which does not read it yet: spanOf). No API
	// timestamp shows it: calibrate reads it from faultyapp's log, to the
	// millisecond (Leads); Measure takes none.
	WorkerLead Latency = "workerLead"
)

// Latencies lists them in the order a table shows them.
var Latencies = []Latency{FirstStart, Restart, Exit, Kill, Status, Ready, WorkerLead}

// Samples are the measured durations of each latency.
type Samples map[Latency][]time.Duration

// ReadyOnStart reports whether s's pod turns Ready as soon as its container
// runs: no readiness or startup probe stands between them.
func ReadyOnStart(s *scenarios.Scenario) bool {
	return s.Pod.ReadinessProbe == nil && s.Pod.StartupProbe == nil
}

// Measure takes the samples one observed timeline holds, of its first pod
// only (a Deployment's replacement pod has a timeline of its own). Its
// offsets already leave the machine's pauses out (timeline.Pause).
// readyOnStart (ReadyOnStart of its scenario) files start → Ready under
// Status instead of Ready.
func Measure(tl timeline.Timeline, readyOnStart bool) Samples {
	s := Samples{}
	es := firstPod(tl)
	starts, exits, kills := byInstance(es, timeline.Started), byInstance(es, timeline.Terminated), byInstance(es, timeline.Killing)
	if e, ok := starts[0]; ok {
		s.add(FirstStart, e.At)
	}
	for n, exit := range exits {
		next, ok := starts[n+1]
		if ok && !heldBack(es, n, exit.At, next.At) {
			s.add(Restart, next.At-exit.At)
		}
		if kill, ok := kills[n]; ok && exit.ExitCode != nil && (*exit.ExitCode == 143 || *exit.ExitCode == 0) {
			s.add(Exit, exit.At-kill.At)
		}
	}
	for n, kill := range kills {
		if f, ok := lastFailure(es, n, kill.At); ok {
			s.add(Kill, kill.At-f.At)
		}
	}
	ready := Ready
	if readyOnStart {
		ready = Status
	}
	for n, start := range starts {
		if r, ok := firstAfter(es, timeline.Ready, n, start.At); ok {
			s.add(ready, r.At-start.At)
		}
	}
	return s
}

func (s Samples) add(l Latency, d time.Duration) {
	if d >= 0 {
		s[l] = append(s[l], d)
	}
}

// Add puts o's samples into s.
func (s Samples) Add(o Samples) {
	for l, ds := range o {
		s[l] = append(s[l], ds...)
	}
}

// firstPod keeps the entries of tl's first pod (timeline.FirstPod; every
// entry without a pod name when none started).
func firstPod(tl timeline.Timeline) []timeline.Entry {
	pod, _ := tl.FirstPod("")
	var out []timeline.Entry
	for _, e := range tl.Entries {
		if e.Pod == pod {
			out = append(out, e)
		}
	}
	return out
}

// byInstance is the first entry of kind for each container instance.
func byInstance(es []timeline.Entry, kind timeline.Kind) map[int]timeline.Entry {
	out := map[int]timeline.Entry{}
	for _, e := range es {
		if _, seen := out[e.Instance]; e.Kind == kind && !seen {
			out[e.Instance] = e
		}
	}
	return out
}

// heldBack reports whether a CrashLoopBackOff of instance n shows between
// its exit and the next start.
func heldBack(es []timeline.Entry, n int, from, to time.Duration) bool {
	return slices.ContainsFunc(es, func(e timeline.Entry) bool {
		return e.Kind == timeline.BackOff && e.Instance == n && e.At >= from && e.At <= to
	})
}

// lastFailure is instance n's last probe failure at or before t, read
// from its Unhealthy events (an estimated one has no time of its own).
func lastFailure(es []timeline.Entry, n int, t time.Duration) (timeline.Entry, bool) {
	var last timeline.Entry
	found := false
	for _, e := range es {
		if e.Kind == timeline.ProbeFailed && e.Instance == n && e.At <= t && !e.Estimated {
			last, found = e, true
		}
	}
	return last, found
}

// firstAfter is the first entry of kind for instance n at or after t.
func firstAfter(es []timeline.Entry, kind timeline.Kind, n int, t time.Duration) (timeline.Entry, bool) {
	for _, e := range es {
		if e.Kind == kind && e.Instance == n && e.At >= t {
			return e, true
		}
	}
	return timeline.Entry{}, false
}

// Stats summarise one latency's samples.
type Stats struct {
	N                  int
	Min, P50, P90, Max time.Duration
	// Mean is the best estimate of the true mean latency: a sample is the
	// difference of two truncated seconds, and over a uniformly placed
	// start its expectation is the true latency, whereas its median is not
	// (a steady 0.7 s shows as 1 s seven times in ten).
	Mean time.Duration
}

// Of summarises ds (nearest-rank percentiles); zero without samples.
func Of(ds []time.Duration) Stats {
	if len(ds) == 0 {
		return Stats{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p int) time.Duration { return s[(p*len(s)+99)/100-1] }
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Stats{N: len(s), Min: s[0], P50: rank(50), P90: rank(90), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}

// WriteTable writes s as the Markdown table suites/README.md keeps.
func (s Samples) WriteTable(w io.Writer) error {
	if _, err := fmt.Fprintln(w, "| latency | n | min | mean | p50 | p90 | max |\n|---|---|---|---|---|---|---|"); err != nil {
		return err
	}
	for _, l := range Latencies {
		st := Of(s[l])
		row := fmt.Sprintf("| %s | %d | %v | %v | %v | %v | %v |", l, st.N, st.Min, st.Mean.Round(10*time.Millisecond), st.P50, st.P90, st.Max)
		if st.N == 0 {
			// nothing measured is not a 0s latency (a report keeps no
			// logs, so it has no workerLead)
			row = fmt.Sprintf("| %s | 0 | — | — | — | — | — |", l)
		}
		if _, err := fmt.Fprintln(w, row); err != nil {
			return err
		}
	}
	return nil
}
