package run

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// cleanupTimeout bounds deleting one drill's namespace. Cleanup runs on a
// context of its own: after Ctrl-C the command's context is cancelled, and
// the namespaces must go all the same.
const cleanupTimeout = 30 * time.Second

// drills runs plans on a cluster, at most parallel at a time. Drills spend
// their time waiting for the kubelet, so running several at once costs the
// cluster little and saves the user most of the wall-clock time.
type drills struct {
	cs       kubernetes.Interface
	parallel int
	// gap spaces the starts out. Pods created in one burst start late: eight
	// at once on a two-core kind node took 7 to 9 s to run their first
	// container instead of the ~1 s the predictor assumes (FirstStart), and
	// every later entry of those drills came late with it; drills started
	// one at a time matched.
	gap time.Duration
	// done is called once per plan, from the drill's goroutine, as it ends.
	done func(report.ScenarioResult)
}

// outcome is one drill's result, and its cleanup error if the namespace may
// have been left behind.
type outcome struct {
	result     report.ScenarioResult
	cleanupErr error
}

// runAll runs every plan, the longest first so that the short ones fill in
// around them, and returns the outcomes in the plans' order. When
// ctx ends (Ctrl-C), running drills stop and clean up, and plans not yet
// started are not started.
func (r drills) runAll(ctx context.Context, plans []*drill.Plan) []outcome {
	out := make([]outcome, len(plans))
	slots := make(chan struct{}, r.parallel)
	pace := time.NewTicker(max(r.gap, time.Nanosecond))
	defer pace.Stop()
	var wg sync.WaitGroup
	for n, i := range longestFirst(plans) {
		p := plans[i]
		if (n > 0 && !paced(ctx, pace.C)) || !acquire(ctx, slots) {
			out[i] = outcome{result: notStarted(p)}
			r.done(out[i].result)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			out[i] = r.one(ctx, p)
			r.done(out[i].result)
		}()
	}
	wg.Wait()
	return out
}

// longestFirst is the plans' indexes by decreasing deadline (stable).
func longestFirst(plans []*drill.Plan) []int {
	idx := make([]int, len(plans))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(plans[b].Deadline, plans[a].Deadline) })
	return idx
}

// paced waits for the next start time, unless ctx ends first. A tick missed
// while all slots were busy is not made up: the ticker keeps one.
func paced(ctx context.Context, tick <-chan time.Time) bool {
	select {
	case <-tick:
		return ctx.Err() == nil
	case <-ctx.Done():
		return false
	}
}

// acquire takes a slot, unless ctx ended first (checked again after the
// select, which picks at random when both are ready).
func acquire(ctx context.Context, slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	if ctx.Err() != nil {
		<-slots
		return false
	}
	return true
}

// one drills a plan: start it in a fresh namespace, wait until every
// expectation is decided, take the record, and always clean up.
func (r drills) one(ctx context.Context, p *drill.Plan) outcome {
	start := time.Now()
	res := newResult(p)
	d, err := p.Start(ctx, r.cs)
	if err != nil {
		res.Error = err.Error()
		if ctx.Err() != nil {
			res.Error = "interrupted while starting; nothing was left behind"
		}
		res.Duration = time.Since(start)
		return outcome{result: res}
	}
	res.Namespace = d.Namespace
	findings, waitErr := d.Wait(ctx, nil)
	record(&res, d, findings)
	if waitErr != nil {
		res.Error = fmt.Sprintf("interrupted after %s", timeline.Offset(res.Watched))
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	cleanupErr := d.Cleanup(cctx)
	res.Duration = time.Since(start)
	res.Judge()
	return outcome{result: res, cleanupErr: cleanupErr}
}

func newResult(p *drill.Plan) report.ScenarioResult {
	s := p.Scenario
	return report.ScenarioResult{Name: s.Name, Title: s.Title, Labels: s.Labels, Predicted: p.Predicted()}
}

// record copies what the drill saw into the result, before Cleanup stops
// the observer.
func record(res *report.ScenarioResult, d *drill.Drill, findings []verdict.Finding) {
	obs := d.Observer()
	res.Observed = obs.Timeline()
	// Judged against the prediction conditioned on what was seen.
	res.Predicted = d.Expected(res.Observed)
	res.Watched = obs.Elapsed()
	res.Findings = findings
	res.Comparison = d.Comparison()
}

func notStarted(p *drill.Plan) report.ScenarioResult {
	res := newResult(p)
	res.Error = "not started: interrupted"
	res.Judge()
	return res
}
