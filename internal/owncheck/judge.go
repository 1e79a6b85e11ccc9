package owncheck

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/scenarios"
)

// Result is a finished check.
type Result struct {
	// Started and Took time the whole check.
	Started time.Time
	Took    time.Duration
	Faults  []FaultResult
}

// FaultResult is one fault's verdict with the numbers behind it.
type FaultResult struct {
	Fault     string
	Must      string
	Predicted string
	Observed  string
	Pass      bool
	Advice    string
	// Need spans the measured first answers (zero when none answered).
	NeedMin, NeedMax time.Duration
	Starts           []Start
	// Crash is what each signal of the crash fault did.
	Crash []Signalled
	// Injected is what an injected fault did (nil for the others).
	Injected *Injected
	// Namespace is the fault's own namespace (deleted when it ended).
	Namespace string
	// Skipped says why the fault did not run ("" when it ran).
	Skipped string
	// Mismatch lists where the kubelet did not do what the model said.
	Mismatch []string
	// Took is how long the fault ran.
	Took time.Duration
}

// Failed lists the faults that did not pass.
func (r *Result) Failed() []FaultResult {
	var out []FaultResult
	for _, f := range r.Faults {
		if !f.Pass && f.Skipped == "" {
			out = append(out, f)
		}
	}
	return out
}

// validate refuses what cannot run as the user's own app.
func validate(in *probecheck.Input, o Options) error {
	if in.Spec == nil {
		return &scenarios.InvalidError{Problems: []scenarios.Problem{{File: in.File,
			What: "is a bare probe: there is no image to run",
			Fix:  "give the Pod or Deployment manifest, or pass --stand-in to run faultyapp behind this probe"}}}
	}
	if in.Liveness == nil && in.Startup == nil && in.Readiness == nil {
		return &scenarios.InvalidError{Problems: []scenarios.Problem{{File: in.File, Field: in.Field(""),
			What: fmt.Sprintf("container %s has no probe", in.Container),
			Fix:  "add the livenessProbe (and startupProbe) to check, or pick the container with --container"}}}
	}
	if o.Starts < 1 || o.Starts > MaxStarts {
		return fmt.Errorf("--starts %d: use 1 to %d", o.Starts, MaxStarts)
	}
	return nil
}

// judge turns the measured starts into the cold-start verdict.
func (k *Check) judge(starts []Start) FaultResult {
	f := FaultResult{Fault: FaultColdStart, Must: "no restart", Starts: starts, Pass: true}
	killed := 0
	for _, s := range starts {
		if s.Killed {
			killed++
		}
		if s.Answered {
			if f.NeedMin == 0 || s.Need < f.NeedMin {
				f.NeedMin = s.Need
			}
			f.NeedMax = max(f.NeedMax, s.Need)
		}
	}
	f.Pass = killed == 0
	f.Predicted = k.predicted(f)
	f.Observed = observed(starts, killed)
	f.Advice = k.advice(f, killed)
	return f
}

// safe is how long an app may take and be sure to be spared: the budget
// less one period, as the kill comes at the failureThreshold-th failing
// tick, and the first tick may come up to a period after initialDelay
// (docs/check.md, "cold-start").
func (b Budget) safe() time.Duration { return b.Total - b.Period }

// predicted says what the measured need and the budget make of a start.
func (k *Check) predicted(f FaultResult) string {
	b := k.Budget
	switch {
	case b.Probe == "":
		return "no restart: no probe can kill a start"
	case f.NeedMax == 0:
		return "unknown: the app never answered its probe"
	case f.NeedMax < b.safe():
		return fmt.Sprintf("no restart: answers by %s, kills come ≥ %s", secs1(f.NeedMax), secs1(b.safe()))
	case f.NeedMin >= b.Total:
		return fmt.Sprintf("killed %s after start, before it ever serves", between(b.safe(), b.Total))
	}
	return "killed when a start is slow: the need straddles the budget"
}

// observed summarises the own runs.
func observed(starts []Start, killed int) string {
	if killed == 0 {
		out := fmt.Sprintf("no restart in %d starts", len(starts))
		if r := span(starts, func(s Start) time.Duration { return s.Ready }); r != "never" {
			out += "; ready after " + r
		} else if r := span(starts, func(s Start) time.Duration { return s.Started }); r != "never" {
			out += "; started after " + r
		}
		return out
	}
	var exits []string
	for _, s := range starts {
		if s.Killed {
			exits = appendOnce(exits, fmt.Sprintf("%d (%s)", s.ExitCode, s.Reason))
		}
	}
	ended := fmt.Sprintf("%s: exit %s", span(starts, func(s Start) time.Duration { return s.Ended }), strings.Join(exits, ", "))
	if kills := span(starts, func(s Start) time.Duration { return s.KillSeen }); kills != "never" {
		return fmt.Sprintf("killed in %d of %d starts, %s after start; ended at %s", killed, len(starts), kills, ended)
	}
	return fmt.Sprintf("ended by itself in %d of %d starts, at %s", killed, len(starts), ended)
}

// span is "4.1–6.3s" over the starts' non-zero values, "never" when none.
func span(starts []Start, v func(Start) time.Duration) string {
	var lo, hi time.Duration
	for _, s := range starts {
		d := v(s)
		if d <= 0 {
			continue
		}
		if lo == 0 || d < lo {
			lo = d
		}
		hi = max(hi, d)
	}
	if hi == 0 {
		return "never"
	}
	return between(lo, hi)
}

// between is "4.1–6.3s", or "4.1s" when both print the same.
func between(lo, hi time.Duration) string {
	if secs1(lo) == secs1(hi) {
		return secs1(hi)
	}
	return strings.TrimSuffix(secs1(lo), "s") + "–" + secs1(hi)
}

// secs1 prints a duration in seconds with one decimal: "4.1s".
func secs1(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

// advice says what to change, with the measured numbers.
func (k *Check) advice(f FaultResult, killed int) string {
	var parts []string
	if a := k.budgetAdvice(f, killed); a != "" {
		parts = append(parts, a)
	}
	if a := k.sigtermAdvice(f.Starts); a != "" {
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// budgetAdvice compares the need with the budget.
func (k *Check) budgetAdvice(f FaultResult, killed int) string {
	b := k.Budget
	need := span(f.Starts, func(s Start) time.Duration { return s.Need })
	switch {
	case f.NeedMax == 0 && len(f.Starts) > 0 && f.Starts[0].Gauged:
		return fmt.Sprintf("The app never answered its probe's handler in %s with nothing killing it: "+
			"the probe asks the wrong port, path or command, or the app needs longer%s.",
			f.Starts[0].GaugeLimit, lastUnhealthy(f.Starts))
	case killed > 0 && f.NeedMax > b.safe():
		return fmt.Sprintf("Needs %s to answer, the %s allows %s: killed before it ever serves. %s",
			need, b.Probe, secs1(b.Total), k.raise(f.NeedMax))
	case killed > 0:
		return "Killed after it answered its probe in " + need + lastUnhealthy(f.Starts) + "."
	case b.Probe != "" && f.NeedMax >= b.safe():
		return fmt.Sprintf("Spared by luck: the slowest start needed %s, and kills can come from %s on. %s",
			secs1(f.NeedMax), secs1(b.safe()), k.raise(f.NeedMax))
	case b.Probe != "" && f.NeedMax > 0 && f.NeedMax*3 > b.safe()*2:
		return fmt.Sprintf("Tight: the slowest start needed %s of the %s the %s allows; a busier node will be slower. %s",
			secs1(f.NeedMax), secs1(b.Total), b.Probe, k.raise(f.NeedMax))
	case b.Probe != "" && f.NeedMax > 0:
		return fmt.Sprintf("Margin: needs %s, the %s allows %s.", need, b.Probe, secs1(b.Total))
	}
	return ""
}

// graceSlack is how much sooner than the grace period an end may come
// after the Killing event and still count as the whole grace period: the
// event is stamped after the kill began.
const graceSlack = 2 * time.Second

// sigtermAdvice names an app that did not stop on SIGTERM: the kubelet
// then waits the whole grace period and kills it (exit 137)
// (docs/check.md, "SIGTERM").
func (k *Check) sigtermAdvice(starts []Start) string {
	for _, s := range starts {
		if s.Killed && s.KillSeen > 0 && s.ExitCode == 137 && s.Ended-s.KillSeen >= k.grace()-graceSlack {
			return fmt.Sprintf("It ignored SIGTERM: the kill waited the whole grace period (%s, ended %s after the Killing event) "+
				"and ended in 137; a shell or an init script as PID 1 does that: exec the server, or handle SIGTERM.",
				k.grace(), secs1(s.Ended-s.KillSeen))
		}
	}
	return ""
}

// raise suggests a startup budget that spares twice the slowest measured
// start: initialDelay + (n-1) × period ≥ 2 × slowest (see safe).
func (k *Check) raise(slowest time.Duration) string {
	b := k.Budget
	if b.Probe == "startupProbe" {
		n := failuresFor(2*slowest-b.InitialDelay, b.Period)
		return fmt.Sprintf("Raise startupProbe.failureThreshold to %d (%s + %d × %s spares twice the slowest start).",
			n, b.InitialDelay, n, b.Period)
	}
	const period = 2 * time.Second
	n := failuresFor(2*slowest, period)
	return fmt.Sprintf("Add a startupProbe with the same handler, periodSeconds: %d, failureThreshold: %d "+
		"(spares twice the slowest start), rather than delaying liveness, which would slow every later catch.",
		int(period.Seconds()), n)
}

// failuresFor is the failureThreshold whose budget less one period covers d.
func failuresFor(d, period time.Duration) int32 {
	return int32(math.Ceil(float64(max(d, 0))/float64(period))) + 1
}

// lastUnhealthy quotes the kubelet's last probe failure, if any.
func lastUnhealthy(starts []Start) string {
	for i := len(starts) - 1; i >= 0; i-- {
		if u := starts[i].Unhealthy; len(u) > 0 {
			return "; the kubelet said: " + u[len(u)-1]
		}
	}
	return ""
}
