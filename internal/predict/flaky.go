package predict

import (
	"fmt"
	"math"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// unpredictable handles what the model cannot time, and says why.
//
// flaky (0 < p < 1): whether a probe fails is a coin toss, so only the first
// start is certain. The model answered every request with a failure; run
// again with the back-off switched off, that is the fastest any failure
// pattern can restart the container, so its windows bound RestartsAt from
// above.
//
// leak without a memory limit: nothing OOM-kills the container before the
// node runs short, which the model does not cover.
func (p *Prediction) unpredictable(d *drill, k Kubelet, pn pins, recs []record, limit time.Duration) (string, []record) {
	a := d.app
	switch {
	case a.fault == scenarios.FaultFlaky && a.p > 0 && a.p < 1:
		p.upper = []timeline.Entry{}
		for _, r := range windowed(runAll(d, k, pn, limit, true), p.Horizon, k.TimestampSlack) {
			if r.e.Kind == timeline.Started && r.e.Instance > 0 {
				p.upper = append(p.upper, r.e)
			}
		}
		return flakyText(d), firstStart(recs)
	case a.fault == scenarios.FaultLeak && a.oomAfter == 0:
		return "leak without a memory limit: nothing OOM-kills the container until the node itself runs short, which is not modelled; set app.resources.limits.memory", recs
	}
	return "", recs
}

// firstStart keeps the entries of the first container's start.
func firstStart(recs []record) []record {
	for _, r := range recs {
		if r.e.Kind == timeline.Started && r.e.Instance == 0 {
			return []record{r}
		}
	}
	return nil
}

// flakyText says what can be said: the mean number of probes before
// failureThreshold failures in a row, (1 − pᶠ) / ((1 − p) · pᶠ) for
// independent failures of probability p.
func flakyText(d *drill) string {
	ps := d.probe(liveness)
	if ps == nil {
		ps = d.probe(startup)
	}
	p := d.app.p
	if ps == nil {
		return fmt.Sprintf("flaky (p=%v): probes fail at random, so readiness flaps unpredictably; no probe can restart the container", p)
	}
	pf := math.Pow(p, float64(ps.failure))
	mean := (1 - pf) / ((1 - p) * pf)
	return fmt.Sprintf("flaky (p=%v): each request fails at random; a kill needs %d %s failures in a row (chance %.3g per probe), "+
		"so the first kill comes after about %.0f probes (~%v) on average, but any one run may differ widely; only the first start and an upper bound on restarts are predicted",
		p, ps.failure, lower(ps.typ), pf, mean, (time.Duration(mean) * ps.period).Round(time.Second))
}
