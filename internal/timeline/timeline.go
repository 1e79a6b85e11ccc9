// Package timeline is the one shape a drill's story takes in probedrill: the
// predictor writes an expected Timeline, the observer records an observed one
// from the API server, and the verdict compares the two.
//
// Times are offsets from the pod's creation (metadata.creationTimestamp), so a
// predicted and an observed timeline line up without knowing wall-clock time.
package timeline

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind names what happened. The values that mirror kubelet event reasons use
// the kubelet's own spelling (pkg/kubelet/events/event.go, v1.37.2).
type Kind string

const (
	// Started: a container instance began running (status.state.running.startedAt).
	Started Kind = "Started"
	// ProbeFailed: one failed probe (a Warning "Unhealthy" event).
	ProbeFailed Kind = "Unhealthy"
	// Killing: the kubelet decided to kill the container (a Normal "Killing" event).
	Killing Kind = "Killing"
	// Terminated: a container instance exited (lastState.terminated: exit code, reason).
	Terminated Kind = "Terminated"
	// BackOff: the kubelet is holding a restart back (waiting reason CrashLoopBackOff
	// or a Warning "BackOff" event).
	BackOff Kind = "BackOff"
	// Ready and NotReady: the container's readiness flipped.
	Ready    Kind = "Ready"
	NotReady Kind = "NotReady"
	// PodDeleted: the pod object went away (node failure drills).
	PodDeleted Kind = "PodDeleted"
)

// Entry is one thing that happened (observed) or should happen (predicted).
type Entry struct {
	Kind Kind `json:"kind"`
	// At is the offset from pod creation: the observed time, or the predictor's
	// nominal time.
	At time.Duration `json:"at"`
	// Earliest and Latest bound a predicted entry (probe jitter, sync period,
	// back-off jitter). For an observed entry both equal At.
	Earliest time.Duration `json:"earliest"`
	Latest   time.Duration `json:"latest"`
	// Instance is the container instance the entry belongs to: 0 for the first
	// container, n after the n-th restart (the restartCount at that moment).
	Instance int `json:"instance"`
	// Container is the container name.
	Container string `json:"container,omitempty"`
	// ContainerID is set on Started and Terminated entries that were observed.
	ContainerID string `json:"containerID,omitempty"`
	// ExitCode and Reason are set on Terminated entries.
	ExitCode *int32 `json:"exitCode,omitempty"`
	Reason   string `json:"reason,omitempty"`
	// Message is the event message, or the waiting message for BackOff.
	Message string `json:"message,omitempty"`
	// Why is a one-line teaching explanation (predicted entries).
	Why string `json:"why,omitempty"`
	// Optional marks a predicted probe failure or hold-back that some
	// equally likely runs of the model do not have (how many ticks find a
	// container failing depends on latencies the API cannot show; a kill
	// that finds the exited container deleted holds nothing back): its
	// absence is no mismatch.
	Optional bool `json:"optional,omitempty"`
	// Cause is Why for machines: its code and facts (predicted entries).
	Cause *Cause `json:"cause,omitempty"`

	// Fields below are set by the observer (internal/observe).

	// Pod is the pod's name: a Deployment drill follows more than one pod.
	Pod string `json:"pod,omitempty"`
	// Type is the event type ("Normal", "Warning") of an entry read from an
	// Event; empty for an entry read from the pod status.
	Type string `json:"type,omitempty"`
	// Count is which occurrence of an aggregated event this entry is (1 for the
	// first; the API server folds repeats into one Event with a count).
	Count int32 `json:"count,omitempty"`
	// Estimated is true when the API gave no time of its own for this entry:
	// an occurrence hidden inside an aggregated event's count jump (placed
	// evenly between the neighbouring known times), or a CrashLoopBackOff
	// waiting state seen without a status write time.
	Estimated bool `json:"estimated,omitempty"`
}

// Within reports whether t falls inside the entry's tolerance window.
func (e Entry) Within(t time.Duration) bool {
	return t >= e.Earliest && t <= e.Latest
}

// StatedBackOff is the delay the kubelet states in a CrashLoopBackOff
// waiting message ("back-off 40s restarting failed container=…",
// kuberuntime_manager.go doBackOff), as a Go duration string, or "" when
// e's message states none (a BackOff event's does not).
func (e Entry) StatedBackOff() string {
	rest, ok := strings.CutPrefix(e.Message, "back-off ")
	if !ok {
		return ""
	}
	d, _, _ := strings.Cut(rest, " ")
	return d
}

// MayStateOtherBackOff reports whether stated (a StatedBackOff) is one of
// the other back-offs e's cause allows (Cause.OtherBackOffs).
func (e Entry) MayStateOtherBackOff(stated string) bool {
	return e.Cause != nil && slices.ContainsFunc(e.Cause.OtherBackOffs, func(d time.Duration) bool { return d.String() == stated })
}

// String renders an entry on one line, e.g. "+1m20s Killing #0 (exit 143)".
func (e Entry) String() string {
	s := fmt.Sprintf("%s %s #%d", Offset(e.At), e.Kind, e.Instance)
	if e.ExitCode != nil {
		s += fmt.Sprintf(" exit %d", *e.ExitCode)
	}
	if e.Reason != "" {
		s += " " + e.Reason
	}
	return s
}

// Timeline is an ordered list of entries. Start is the pod's creation time for
// an observed timeline and zero for a predicted one.
type Timeline struct {
	Start   time.Time `json:"start,omitzero"`
	Entries []Entry   `json:"entries"`
	// Pauses are the stretches the machine did not run through while it was
	// observed (see Pause); the entries' offsets leave them out.
	Pauses Pauses `json:"pauses,omitempty"`
}

// Pause is a stretch of wall-clock time the machine did not run through: a
// virtual machine frozen by its host, or a clock stepped forward. The
// kubelet's tickers and timers (probe period and timeout, grace period) run
// on the monotonic clock, which a pause does not advance, while the API's
// timestamps are wall-clock times; so an observed timeline counts offsets
// without the pauses before them, as those timers did. (The back-off and
// initialDelaySeconds compare wall-clock times: a conditioned prediction
// counts the pause there, internal/predict sim.wall.)
type Pause struct {
	// At is the offset (itself without earlier pauses) where it began.
	At time.Duration `json:"at"`
	// For is how much wall-clock time it took.
	For time.Duration `json:"for"`
}

// Pauses are a timeline's pauses, in order.
type Pauses []Pause

// Offset turns a wall-clock offset (from the pod's creation) into the
// timeline's offset, leaving out the pauses before it; a time inside a
// pause counts as its beginning.
func (ps Pauses) Offset(wall time.Duration) time.Duration {
	off, paused := wall, time.Duration(0)
	for _, p := range ps {
		began := p.At + paused // where the pause began, in wall-clock terms
		if wall > began {
			off -= min(p.For, wall-began)
		}
		paused += p.For
	}
	return off
}

// Wall is Offset's inverse: the wall-clock offset of a timeline offset,
// the pauses before it added back.
func (ps Pauses) Wall(off time.Duration) time.Duration {
	wall := off
	for _, p := range ps {
		if p.At < off {
			wall += p.For
		}
	}
	return wall
}

// OffsetOf turns a wall-clock time (an API timestamp) into the timeline's
// offset: from Start, leaving out the pauses in between (Pauses.Offset).
func (t Timeline) OffsetOf(wall time.Time) time.Duration {
	return t.Pauses.Offset(wall.Sub(t.Start))
}

// String says it for a failure message: "the machine was paused 17s at +1m10s".
func (p Pause) String() string {
	return fmt.Sprintf("the machine was paused %s at %s (its wall clock jumped ahead of its monotonic clock); later offsets leave the pause out, as the kubelet's timers did",
		p.For.Round(100*time.Millisecond), Offset(p.At))
}

// Add appends an entry, keeping the timeline ordered by At (stable for equal times).
func (t *Timeline) Add(e Entry) {
	i := len(t.Entries)
	for i > 0 && t.Entries[i-1].At > e.At {
		i--
	}
	t.Entries = slices.Insert(t.Entries, i, e)
}

// Of returns the entries of one kind, in order.
func (t Timeline) Of(k Kind) []Entry {
	var out []Entry
	for _, e := range t.Entries {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// FirstPod is the pod whose first instance of container ("" for any)
// started first: a Deployment's replacement pod comes later and has a
// timeline of its own. found is false when no first instance started.
func (t Timeline) FirstPod(container string) (pod string, found bool) {
	for _, e := range t.Entries {
		if e.Kind == Started && e.Instance == 0 && (container == "" || e.Container == "" || e.Container == container) {
			return e.Pod, true
		}
	}
	return "", false
}

// Restarts returns how many restarts happened at or before offset at: the
// number of Started entries after the first.
func (t Timeline) Restarts(at time.Duration) int {
	n := 0
	for _, e := range t.Of(Started) {
		if e.At <= at {
			n++
		}
	}
	return max(n-1, 0)
}

// Offset formats an offset from pod creation as "+1m20s", rounded to the second
// when it is longer than a few seconds (what a projector needs).
func Offset(d time.Duration) string {
	if d >= 10*time.Second || d <= -10*time.Second {
		d = d.Round(time.Second)
	} else {
		d = d.Round(100 * time.Millisecond)
	}
	if d < 0 {
		return "-" + (-d).String()
	}
	return "+" + d.String()
}

// Int32 returns a pointer to v, for ExitCode literals.
func Int32(v int32) *int32 { return &v }
