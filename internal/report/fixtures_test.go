package report

import (
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

const sec = time.Second

// story builds a seed-like crash loop: the container starts, the probe fails
// failureThreshold times, the kubelet kills it (exit 143), and it restarts,
// every period. The predicted entries carry ±1 s windows; the observed ones
// happen at the nominal time plus late (for the restart given by lateAt, if
// any), so a test can make one line late.
func story(restarts int, period time.Duration, lateAt int, late time.Duration) (predicted, observed timeline.Timeline) {
	add := func(e timeline.Entry, shift time.Duration) {
		p := e
		p.Earliest, p.Latest = e.At-sec, e.At+sec
		predicted.Add(p)
		o := e
		o.At += shift
		o.Earliest, o.Latest = o.At, o.At
		observed.Add(o)
	}
	for i := 0; i <= restarts; i++ {
		start := sec + time.Duration(i)*period
		shift := time.Duration(0)
		if i == lateAt {
			shift = late
		}
		add(timeline.Entry{Kind: timeline.Started, At: start, Instance: i, Container: "faultyapp"}, shift)
		if i == restarts {
			break
		}
		for f := 1; f <= 3; f++ {
			add(timeline.Entry{Kind: timeline.ProbeFailed, At: start + period - time.Duration(4-f)*2*sec, Instance: i,
				Container: "faultyapp", Message: "Liveness probe failed: HTTP probe failed with statuscode: 500"}, 0)
		}
		add(timeline.Entry{Kind: timeline.Killing, At: start + period - sec, Instance: i, Container: "faultyapp",
			Message: "Container faultyapp failed liveness probe, will be restarted"}, 0)
		add(timeline.Entry{Kind: timeline.Terminated, At: start + period - sec/2, Instance: i, Container: "faultyapp",
			ExitCode: timeline.Int32(143), Reason: "Error"}, 0)
	}
	return predicted, observed
}

// result assembles a scenario's record the way `run` does.
func result(name, title string, predicted, observed timeline.Timeline, watched time.Duration, findings []verdict.Finding) ScenarioResult {
	s := ScenarioResult{
		Name: name, Title: title, Labels: []string{"liveness", "http"}, Namespace: "pd-" + name + "-x7k2p",
		Predicted: predicted, Observed: observed, Findings: findings,
		Comparison: verdict.Compare(predicted, observed, verdict.Until(watched)),
		Watched:    watched, Duration: watched + 3*sec,
	}
	s.Judge()
	return s
}

func pass(expect, why string) verdict.Finding {
	return verdict.Finding{Expect: expect, Outcome: verdict.Pass, Why: why}
}

func fail(expect, why string) verdict.Finding {
	return verdict.Finding{Expect: expect, Outcome: verdict.Fail, Why: why}
}

// sampleRun is a synthetic run with every case a renderer must handle: a
// pass, a failure with a late restart and an unmet expectation (whose text
// needs escaping), a healthy pod, a drill interrupted by Ctrl-C, and a
// skipped node-failure scenario.
func sampleRun() Run {
	fastP, fastO := story(3, 16*sec, -1, 0)
	fastO.Add(timeline.Entry{Kind: timeline.BackOff, At: 66 * sec, Earliest: 66 * sec, Latest: 66 * sec, Instance: 3,
		Type: "Warning", Message: "Back-off restarting failed container faultyapp", Count: 1})
	seedP, seedO := story(2, 40*sec, 2, 12*sec)
	healthyO := timeline.Timeline{}
	healthyO.Add(timeline.Entry{Kind: timeline.Started, At: sec, Earliest: sec, Latest: sec, Container: "faultyapp"})
	healthyO.Add(timeline.Entry{Kind: timeline.Ready, At: 3 * sec, Earliest: 3 * sec, Latest: 3 * sec, Container: "faultyapp"})
	healthyP := timeline.Timeline{Entries: []timeline.Entry{{Kind: timeline.Started, At: sec, Earliest: 500 * time.Millisecond, Latest: 3 * sec, Container: "faultyapp"}}}
	oomP, oomO := story(1, 30*sec, -1, 0)
	oomO.Entries = oomO.Entries[:1]
	return Run{
		Version:  SchemaVersion,
		Started:  time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC),
		Duration: 2*time.Minute + 7*sec,
		Cluster: Cluster{Name: "kind-probedrill", KubernetesVersion: "v1.37.2", Profile: "single", Nodes: 1,
			MaxContainerRestartPeriod: 300 * sec},
		Scenarios: []ScenarioResult{
			result("classroom-fast", "The seed app on classroom timings", fastP, fastO, 80*sec, []verdict.Finding{
				pass("restarts ≥ 3 by +1m30s", "3 restarts by +49s"),
				pass("CrashLoopBackOff", "seen at +1m6s"),
			}),
			result("seed-http-500", "The seed: HTTP 500 after five requests", seedP, seedO, 100*sec, []verdict.Finding{
				pass("lastTermination exit 143 (Error)", "exit 143, reason Error"),
				fail(`previous logs contain "GET / 500"`, `the last line was "<html><script>alert(1)</script> & more"`),
			}),
			result("healthy-never-restarted", "A healthy app is never restarted", healthyP, healthyO, 60*sec, []verdict.Finding{
				pass("no restarts for 1m0s", "0 restarts by +1m0s"),
			}),
			func() ScenarioResult {
				s := result("oom-leak", "A memory leak ends in OOMKilled", oomP, oomO, 12*sec, []verdict.Finding{
					fail("lastTermination exit 137 (OOMKilled)", "no container has exited yet"),
				})
				s.Error = "interrupted after 12s (Ctrl-C); namespace deleted"
				s.Judge()
				return s
			}(),
		},
		Skipped: []Skipped{{Name: "seed-bare-pod-node-failure", Title: "A bare pod is lost with its node",
			Why: "needs a stopped node; the e2e suite covers it"}},
	}
}
