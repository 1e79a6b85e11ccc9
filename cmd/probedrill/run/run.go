// Package run implements `probedrill run`: drill many scenarios at once,
// print a summary table, and write run.json and junit.xml.
package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/scenarios"
)

const (
	// defaultParallel: a drill is one small pod that mostly waits for the
	// kubelet; eight at once keep a laptop's kind node far from busy.
	defaultParallel = 8
	maxParallel     = 64
	// startGap is the time between two drill starts (see drills.gap).
	startGap = 3 * time.Second
	// Files written in the output directory.
	runFile   = "run.json"
	junitFile = "junit.xml"
)

type flagpole struct {
	Labels    []string
	Parallel  int
	Output    string
	OutputDir string
	Target    target.Flags
}

// formats are run's -o values; the files are written whatever -o says.
var formats = []string{report.FormatText, report.FormatJSON, report.FormatJUnit}

// NewCommand returns the run command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cobra.ArbitraryArgs,
		Use:   "run [NAME...]",
		Short: "Drill scenarios on the cluster and check each against its prediction",
		Long: "run drills the named scenarios (or every scenario with the --label labels, or\n" +
			"the whole catalog), several at a time, each in a fresh namespace it deletes\n" +
			"afterwards. It prints a line per finished drill on stderr and the run on\n" +
			"stdout (-o: a summary table, json or junit), writes run.json and junit.xml in\n" +
			"--output-dir, and exits 1 if any expectation failed or the timeline was not\n" +
			"as predicted. Node-failure scenarios need a stopped node and run only\n" +
			"when named. `probedrill report DIR/run.json` renders the run as a web page.",
		Example: "  probedrill run --label seed\n" +
			"  probedrill run classroom-fast seed-http-500 --output-dir _out/lesson\n" +
			"  probedrill run --label exec -o junit > exec.xml\n" +
			"  probedrill run --parallel 4",
		RunE: func(c *cobra.Command, args []string) error {
			return runE(c.Context(), logger, streams, flags, args)
		},
	}
	f := c.Flags()
	f.StringSliceVarP(&flags.Labels, "label", "l", nil, "only scenarios with every one of these labels (probedrill list shows them)")
	f.IntVar(&flags.Parallel, "parallel", defaultParallel, "how many drills run at once")
	f.StringVarP(&flags.Output, "output", "o", report.FormatText, "output format on stdout: text (a summary table), json or junit")
	f.StringVar(&flags.OutputDir, "output-dir", "", "directory for run.json and junit.xml (default _out/run-<timestamp>)")
	flags.Target.AddFlags(f)
	return c
}

// runE checks everything that needs no cluster first, so bad input creates
// nothing; then it connects, runs the drills and writes the record.
func runE(ctx context.Context, logger log.Logger, streams cmd.IOStreams, flags *flagpole, names []string) error {
	if flags.Parallel < 1 || flags.Parallel > maxParallel {
		return cli.Usage(fmt.Errorf("--parallel %d: use a number from 1 to %d", flags.Parallel, maxParallel))
	}
	render, err := report.Renderer(flags.Output, formats, cli.IsSmartTerminal(streams.Out))
	if err != nil {
		return cli.Usage(fmt.Errorf("%w (the directory for run.json and junit.xml is --output-dir)", err))
	}
	sel, err := selectScenarios(names, flags.Labels)
	if err != nil {
		return err
	}
	t, err := connect(ctx, logger, flags.Target)
	if err != nil {
		return err
	}
	plans, err := prepare(sel.Scenarios, t.Kubelet)
	if err != nil {
		return err
	}
	started := time.Now()
	dir := outputDir(flags.OutputDir, started)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the output directory: %w", err)
	}
	run := report.Run{Started: started, Cluster: clusterInfo(ctx, t, flags.Target), Skipped: sel.Skipped}
	announce(logger, sel)
	outcomes := drillAll(ctx, logger, t, plans, flags.Parallel)
	run.Duration = time.Since(started)
	for _, o := range outcomes {
		run.Scenarios = append(run.Scenarios, o.result)
	}
	runPath, err := write(dir, run)
	if err != nil {
		return err
	}
	if err := render(streams.Out, run); err != nil {
		return err
	}
	logger.V(0).Infof("Wrote %s and %s. For a web page with the timelines: probedrill report %s", runPath, junitFile, runPath)
	return verdictError(ctx, run, outcomes, dir)
}

// connect reaches the cluster behind the guard, on a status line.
func connect(ctx context.Context, logger log.Logger, f target.Flags) (*target.Target, error) {
	status := cli.StatusForLogger(logger)
	status.Start("Connecting to the cluster")
	t, err := f.Dial(ctx)
	status.End(err == nil)
	if err != nil {
		return nil, err
	}
	t.Announce(logger)
	return t, nil
}

// prepare validates and predicts every scenario before any is started.
func prepare(ss []*scenarios.Scenario, k predict.Kubelet) ([]*drill.Plan, error) {
	var plans []*drill.Plan
	for _, s := range ss {
		p, err := drill.Prepare(s, drill.Options{Kubelet: k})
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// outputDir is --output-dir, or a fresh directory under _out named after the time.
func outputDir(flag string, now time.Time) string {
	if flag != "" {
		return flag
	}
	return filepath.Join("_out", "run-"+now.Format("20060102-150405"))
}

// announce says what is left out and what needs the user's hand.
func announce(logger log.Logger, sel selection) {
	for _, s := range sel.Skipped {
		logger.V(0).Infof("Skipping %s: %s.", s.Name, s.Why)
	}
	for _, w := range sel.Warnings {
		logger.Warn("Note: " + w + ".")
	}
}

// write stores run.json and junit.xml before anything is printed, so a
// summary is never shown for a run whose record was lost.
func write(dir string, run report.Run) (runPath string, err error) {
	runPath = filepath.Join(dir, runFile)
	if err := report.WriteFile(runPath, run, report.WriteJSON); err != nil {
		return "", err
	}
	return runPath, report.WriteFile(filepath.Join(dir, junitFile), run, report.WriteJUnit)
}

// verdictError is the command's one error line: leftover namespaces first
// (the user must act on them), then an interruption, then failed drills.
func verdictError(ctx context.Context, run report.Run, outcomes []outcome, dir string) error {
	var leftovers []error
	for _, o := range outcomes {
		if o.cleanupErr != nil {
			leftovers = append(leftovers, fmt.Errorf("%w; delete it with kubectl delete namespace %s", o.cleanupErr, o.result.Namespace))
		}
	}
	passed, failed := run.Totals()
	switch {
	case len(leftovers) > 0:
		return errors.Join(leftovers...)
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted: the drills that ran are in %s, and their namespaces were deleted", dir)
	case failed > 0:
		return fmt.Errorf("%d of %d scenarios failed; the table above says why, %s has the details", failed, passed+failed, dir)
	}
	return nil
}
