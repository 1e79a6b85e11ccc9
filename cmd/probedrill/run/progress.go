package run

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/report"
)

// drillAll runs the plans under one status line ("Running 12 scenarios, 8 at
// a time, about 6m"), with a line per finished drill as it ends.
func drillAll(ctx context.Context, logger log.Logger, t *target.Target, plans []*drill.Plan, parallel int) []outcome {
	p := &progress{logger: logger, color: cmd.ColorEnabled(logger), total: len(plans), status: cli.StatusForLogger(logger)}
	p.status.Start(fmt.Sprintf("Running %s, %d at a time (expect about %s)", plural(len(plans), "scenario"),
		min(parallel, len(plans)), cli.FormatDuration(estimate(plans, parallel, startGap))))
	out := drills{cs: t.Clientset, parallel: parallel, gap: startGap, done: p.done}.runAll(ctx, plans)
	// The estimate is no use once it is over: the line ends with the real time.
	p.status.Retitle("Ran " + plural(len(plans), "scenario"))
	p.status.End(ctx.Err() == nil && allPassed(out))
	return out
}

// progress prints one kind-style line per finished drill.
type progress struct {
	logger log.Logger
	color  bool
	status *cli.Status
	total  int

	mu       sync.Mutex
	finished int
}

func (p *progress) done(r report.ScenarioResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	p.logger.V(0).Info(doneLine(r, p.color))
	p.status.Detail(fmt.Sprintf("%d of %d done", p.finished, p.total))
}

// doneLine is " ✓ classroom-fast 1m32s", or with ✗ and what went wrong.
func doneLine(r report.ScenarioResult, color bool) string {
	mark, paint := "✓", "\x1b[32m"
	if !r.Passed {
		mark, paint = "✗", "\x1b[31m"
	}
	if color {
		mark = paint + mark + "\x1b[0m"
	}
	line := fmt.Sprintf(" %s %s %s", mark, r.Name, cli.FormatDuration(r.Duration))
	if why := failureWords(r); why != "" {
		line += " (" + why + ")"
	}
	return line
}

// failureWords says in a few words why a drill failed.
func failureWords(r report.ScenarioResult) string {
	if r.Error != "" {
		return r.Error
	}
	var parts []string
	if n := len(r.Failed()); n > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d expectations not met", n, len(r.Findings)))
	}
	if n := r.Comparison.Mismatched; n > 0 {
		parts = append(parts, plural(n, "timeline line")+" not as predicted")
	}
	return strings.Join(parts, ", ")
}

// estimate is how long the run should take: the drills' deadlines packed
// longest first onto the parallel slots, which open gap apart, as runAll
// runs them.
func estimate(plans []*drill.Plan, parallel int, gap time.Duration) time.Duration {
	slots := make([]time.Duration, min(parallel, max(len(plans), 1)))
	for k := range slots {
		slots[k] = time.Duration(k) * gap
	}
	for _, i := range longestFirst(plans) {
		k := slices.Index(slots, slices.Min(slots))
		slots[k] += plans[i].Deadline
	}
	return slices.Max(slots)
}

func allPassed(out []outcome) bool {
	return !slices.ContainsFunc(out, func(o outcome) bool { return !o.result.Passed })
}

// clusterInfo records what the predictions assumed and which cluster it was.
// The settings `up` recorded add the version and shape; a cluster without
// them (opted in with --i-know-this-is-not-kind) has only the Note.
func clusterInfo(ctx context.Context, t *target.Target, f target.Flags) report.Cluster {
	c := report.Cluster{Name: f.Context, MaxContainerRestartPeriod: t.Kubelet.MaxContainerRestartPeriod, Note: t.Note,
		Calibration: t.Calibration.String()}
	if c.Name == "" && !f.OptIn {
		c.Name = cluster.Context
	}
	if c.Name == "" {
		c.Name = "the current kube context"
	}
	if s, err := cluster.ReadSettings(ctx, t.Clientset); err == nil {
		c.KubernetesVersion, c.Profile, c.Nodes = s.KubernetesVersion, string(s.Profile), s.Nodes
	}
	return c
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
