//go:build e2e

package e2e_test

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/observe"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Named time budgets; the drill's own budget comes from the predictor.
const (
	// startupSlack covers what happens before the pod exists: namespace and
	// object creation, and watch start.
	startupSlack = 30 * time.Second
	// teardownSlack covers cleanup and the failure dump.
	teardownSlack = time.Minute
	// pollEvery is how often Eventually re-reads the observer's in-memory
	// snapshot (the observer itself is fed by watches, not polling).
	pollEvery = time.Second
	// slotWait bounds the wait for a start slot: the processes sharing one
	// (gate_test.go) each hold it until their first container runs.
	slotWait = time.Duration(16/startSlots) * 3 * time.Second // sized for 16 processes: an upper bound
)

// specTimeout bounds one scenario's spec, computed while the tree is built
// with the kubelet's defaults (a cluster with a shorter back-off cap only
// finishes sooner).
func specTimeout(s *scenarios.Scenario) time.Duration {
	plan, err := drill.Prepare(s, drill.Options{Kubelet: predict.DefaultKubelet()})
	if err != nil {
		panic(fmt.Sprintf("scenario %s: %v", s.Name, err))
	}
	return slotWait + plan.Deadline + startupSlack + teardownSlack
}

// runScenario is the one driver every table entry uses: deploy the scenario
// in a fresh namespace, watch it until every expectation is decided, then
// assert the expectations, the timeline conditioned on what was seen and
// the up-front one (predicted under e2eCalibration before the drill began).
func runScenario(ctx SpecContext, s *scenarios.Scenario) {
	d := startDrill(ctx, s)
	By(fmt.Sprintf("watching %s for up to %s", d.Namespace, d.Deadline))
	Eventually(ctx, d.Progress).WithTimeout(d.Deadline + startupSlack).WithPolling(pollEvery).Should(BeOver())
	Expect(d.Findings(ctx, true)).To(AllPass(), "expectations of %s\n%s", s.Name, d.Comparison())
	Expect(d.Comparison()).To(MatchPrediction("the prediction conditioned on it"))
	Expect(d.UpFront()).To(MatchPrediction("the prediction made before the drill started"))
}

// startDrill prepares and starts a drill, registering its cleanup and a dump
// of everything a failure needs to be understood.
func startDrill(ctx SpecContext, s *scenarios.Scenario) *drill.Drill {
	plan, err := drill.Prepare(s, drill.Options{Kubelet: kubelet})
	Expect(err).NotTo(HaveOccurred())
	By("waiting for a start slot (gate_test.go)")
	sl, err := takeSlot(ctx)
	Expect(err).NotTo(HaveOccurred())
	By(fmt.Sprintf("deploying %s (%s)", s.Name, s.Title))
	d, err := plan.Start(ctx, clientset)
	if err != nil {
		sl.release()
	}
	Expect(err).NotTo(HaveOccurred())
	go sl.releaseWhenStarted(ctx, d)
	DeferCleanup(d.Cleanup, NodeTimeout(teardownSlack))
	DeferCleanup(func() { recordTimelines(d) })
	DeferOnFailure(func(ctx SpecContext) { dump(ctx, d) }, NodeTimeout(teardownSlack))
	return d
}

// timelines is what every drill leaves in the JSON report (not on the
// console): the predicted and observed timelines, for measuring the
// cluster's latencies across runs (suites/README.md).
type timelines struct {
	Scenario  string            `json:"scenario"`
	Elapsed   time.Duration     `json:"elapsed"`
	Predicted timeline.Timeline `json:"predicted"`
	Expected  timeline.Timeline `json:"expected"`
	Observed  timeline.Timeline `json:"observed"`
	// History is what the API showed of the container statuses.
	History []string `json:"history"`
}

func recordTimelines(d *drill.Drill) {
	o := d.Observer()
	tl := o.Timeline()
	AddReportEntry("timelines", timelines{
		Scenario: d.Scenario.Name, Elapsed: o.Elapsed(),
		Predicted: d.Predicted(), Expected: d.Expected(tl), Observed: tl, History: o.History(),
	}, ReportEntryVisibilityNever)
}

// dump writes the pod status, its events as kubectl describe shows them, the
// previous logs and the predicted vs observed timeline into the spec's report.
func dump(ctx SpecContext, d *drill.Drill) {
	obs := d.Observation(ctx, true)
	var b strings.Builder
	fmt.Fprintf(&b, "namespace %s, %s after pod creation\n\n", d.Namespace, obs.Elapsed.Round(time.Second))
	if obs.Pod != nil {
		for _, c := range obs.Pod.Status.ContainerStatuses {
			fmt.Fprintf(&b, "container %s: restartCount %d, state %+v, lastState %+v\n", c.Name, c.RestartCount, c.State, c.LastTerminationState)
		}
	}
	fmt.Fprintf(&b, "\nEvents:\n%s\n", observe.FormatEvents(obs.Events, time.Now()))
	fmt.Fprintf(&b, "\nPredicted vs observed:\n%s\n", d.Comparison())
	if obs.PreviousLogs != "" {
		fmt.Fprintf(&b, "\nlogs --previous:\n%s\n", obs.PreviousLogs)
	}
	fmt.Fprintf(&b, "\nContainer statuses as the API showed them:\n  %s\n", strings.Join(d.Observer().History(), "\n  "))
	AddReportEntry("drill "+d.Scenario.Name, b.String())
}
