package calibration

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// CountRemovals counts the kills in tl (the observed timeline of a drill
// of s) and those whose sync found the exited container before them
// deleted, so that the next container ran at once and the back-off did
// not move on (docs/kubelet-backoff.md, "When the exited container is
// gone"). The deletion shows in no event; the model conditioned on tl
// infers it from a restart no back-off could explain (predict's
// start-removed and start-deleted causes) or, when the restart came when
// a back-off would have allowed it anyway, from a later hold-back that
// states the shorter back-off only a removal explains (unseenRemoval). It
// conditions under the envelope with one removal allowed, which explains
// every observed run the calibrated spans do.
func CountRemovals(s *scenarios.Scenario, tl timeline.Timeline) (Removals, error) {
	k := predict.DefaultKubelet()
	k.Removals = 1
	p, err := predict.Predict(s, k, predict.WithObserved(tl))
	if err != nil {
		return Removals{}, fmt.Errorf("count removals of %s: %w", s.Name, err)
	}
	var r Removals
	observed := firstPod(tl)
	for _, e := range observed {
		if e.Kind == timeline.Killing {
			r.Kills++
		}
	}
	for _, e := range p.Timeline.Entries {
		if e.Kind == timeline.Started && e.Cause != nil && (e.Cause.Code == timeline.CauseStartRemoved || e.Cause.Code == timeline.CauseStartDeleted) {
			r.Seen++
		}
	}
	if r.Seen == 0 && unseenRemoval(p.Timeline, observed) {
		r.Seen++
	}
	r.MaxPerDrill = r.Seen
	return r, nil
}

// unseenRemoval reports whether an observed hold-back states a back-off
// the model gives only to runs where an earlier kill found the exited
// container deleted (Cause.OtherBackOffs), not its own: replay
// startup-probe-too-short-removed-unseen said "back-off 20s" where the
// model said 40s. Every later hold-back of that drill then states the
// shorter back-off too, so a drill shows one such removal at most.
func unseenRemoval(predicted timeline.Timeline, observed []timeline.Entry) bool {
	for _, o := range observed {
		got := o.StatedBackOff()
		if o.Kind != timeline.BackOff || got == "" {
			continue
		}
		for _, e := range predicted.Entries {
			if e.Kind == timeline.BackOff && e.Instance == o.Instance && got != e.StatedBackOff() && e.MayStateOtherBackOff(got) {
				return true
			}
		}
	}
	return false
}

// Add puts o's counts into r: the drills' kills and removals add up, the
// most in one drill is the larger.
func (r *Removals) Add(o Removals) {
	r.Kills += o.Kills
	r.Seen += o.Seen
	r.MaxPerDrill = max(r.MaxPerDrill, o.MaxPerDrill)
}

// String says it in a sentence, for calibrate and measure, with what the
// model makes of it (predict.Kubelet.Removals).
func (r Removals) String() string {
	allowed := "the windows allow none"
	if r.MaxPerDrill > 0 {
		allowed = "the windows allow one per drill" // predict.Kubelet.Removals
	}
	return fmt.Sprintf("Kills that found the exited container before them deleted (restarted at once, no hold-back): %d of %d, at most %d in one drill; %s.",
		r.Seen, r.Kills, r.MaxPerDrill, allowed)
}

// Tally is what drills measured: the samples of their latencies (Measure)
// and their removals (CountRemovals), taken together so that calibrate and
// suites/measure read a drill the same way.
type Tally struct {
	Samples  Samples
	Removals Removals
}

// Add takes the samples and removals of one drill of s that observed tl.
func (t *Tally) Add(s *scenarios.Scenario, tl timeline.Timeline) error {
	if t.Samples == nil {
		t.Samples = Samples{}
	}
	t.Samples.Add(Measure(tl, ReadyOnStart(s)))
	r, err := CountRemovals(s, tl)
	if err != nil {
		return err
	}
	t.Removals.Add(r)
	return nil
}

// AddLeads takes the probe workers' leads one drill's log showed (Leads).
func (t *Tally) AddLeads(leads []time.Duration) {
	if t.Samples == nil {
		t.Samples = Samples{}
	}
	t.Samples[WorkerLead] = append(t.Samples[WorkerLead], leads...)
}

// File summarises the tally (New).
func (t Tally) File(source string, at time.Time) File {
	return New(t.Samples, t.Removals, source, at)
}
