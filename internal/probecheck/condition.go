package probecheck

import (
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
)

// conditioned returns the prediction to judge an observed drill against, and
// the observed first container start when that prediction had to be made
// again (0 otherwise).
//
// The model's first container start assumes a quiet cluster
// (predict.Kubelet.FirstStart, up to 3 s after pod creation). A busy one —
// several drills starting at once, other suites running — may start it ten
// seconds later, and everything after shifts. When the observed start falls
// outside the predicted window, the prediction is made again with the start
// pinned to what was observed, so that the comparison is about the probes,
// not about how fast the cluster created a sandbox. The prober workers still
// tick from the pod's creation (prober_manager.go AddPod), which the model
// keeps.
//
// Not predict.WithObserved, which a drill uses: that judges each entry one
// step ahead of what was seen, so its first start keeps the model's window
// (a late start is reported late) and its At, where this check anchors the
// window it counts restarts in. Here the late start is the cluster's
// latency, and Kubelet.FirstStart is what says so.
func (k *Check) conditioned(i int, observed timeline.Timeline) (*predict.Prediction, time.Duration) {
	p := k.Plans[i].Prediction
	at, ok := firstStart(observed)
	want, predicted := firstStart(p.Timeline)
	if !ok || !predicted {
		return p, 0
	}
	if at.At >= want.Earliest-apiResolution && at.At <= want.Latest+apiResolution {
		return p, 0
	}
	kubelet := k.Options.Kubelet
	// Observed offsets subtract two API timestamps truncated to the second.
	kubelet.FirstStart = predict.Span{Min: max(at.At-apiResolution, 0), Nominal: at.At, Max: at.At + apiResolution}
	again, err := predict.Predict(k.Drills[i].Scenario, kubelet)
	if err != nil {
		return p, 0
	}
	return again, at.At
}

// firstStart is the first container instance's Started entry.
func firstStart(t timeline.Timeline) (timeline.Entry, bool) {
	for _, e := range t.Of(timeline.Started) {
		if e.Instance == 0 {
			return e, true
		}
	}
	return timeline.Entry{}, false
}
