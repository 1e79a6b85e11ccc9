package screen

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Show is what a demo is about; it does not change while the drill runs.
type Show struct {
	Scenario *scenarios.Scenario
	// Predicted are the entries the demo ticks off, in time order.
	Predicted timeline.Timeline
	Lang      predict.Lang
	// Namespace is the drill's namespace ("" before it exists).
	Namespace string
	// Until is the longest the demo watches, from the pod's creation.
	Until time.Duration
}

// Snapshot is what was observed so far, with the moment it was taken.
type Snapshot struct {
	// Elapsed is how long after the pod's creation the snapshot was taken.
	Elapsed  time.Duration
	Observed timeline.Timeline
	// Events are the raw events about the drill's pods.
	Events []corev1.Event
	// Pod is the newest followed pod, nil before it is seen.
	Pod *corev1.Pod
	// Now is the wall-clock time of the snapshot: event ages are relative to it.
	Now time.Time
	// Expected, when set, replaces Show.Predicted for this snapshot: the
	// prediction conditioned on what was observed (drill.Expected), whose
	// windows narrow as each step is seen.
	Expected *timeline.Timeline
}

// rows lines the snapshot's expected timeline up with what it observed.
func (s Show) rows(snap Snapshot) []Row {
	expected := s.Predicted
	if snap.Expected != nil {
		expected = *snap.Expected
	}
	return Rows(expected, snap.Observed, snap.Elapsed)
}

// podName is the pod the kubectl hints name: the newest observed one (a
// Deployment's pods have generated names), else the scenario's.
func (s Show) podName(snap Snapshot) string {
	if snap.Pod != nil {
		return snap.Pod.Name
	}
	return s.Scenario.Pod.Name
}

func (s Show) words() words { return wordsFor(s.Lang) }
