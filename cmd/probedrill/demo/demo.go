// Package demo implements `probedrill demo NAME`: deploy a scenario on the
// cluster and show, live, what the kubelet does to it next to what the
// model predicted; then the verdict and the kubectl commands that show the
// same, and clean up.
package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/screen"
	"github.com/probedrill/probedrill/scenarios"
)

// nodeFailureNote: a node-failure scenario's story needs its pod's node
// stopped, which a demo leaves to the teacher (the e2e suite does it).
const nodeFailureNote = "This scenario needs its pod's node to fail: once the pod runs, stop that node " +
	"with `docker stop NODE` (`kubectl get pod -o wide` shows it) and watch; `probedrill up` starts it again."

type flagpole struct {
	Lang   string
	For    time.Duration
	Keep   bool
	Plain  bool
	Target target.Flags
}

// NewCommand returns the demo command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  oneScenario,
		Use:   "demo NAME",
		Short: "Run a scenario on the cluster and watch the kubelet do what was predicted",
		Long: "demo deploys a scenario in a fresh namespace and shows, live, the predicted\n" +
			"timeline ticked off as the kubelet acts, the RESTARTS counter, the pod's events as\n" +
			"`kubectl describe pod` prints them and why each happens. It ends when every\n" +
			"expectation is decided (or at --for, or on q / Ctrl-C) with the verdict and the\n" +
			"kubectl commands that show the same, then deletes the namespace (--keep leaves it).\n" +
			"Not on a terminal (or with --plain) it prints plain lines, one per change.",
		Example: "  probedrill demo classroom-fast\n" +
			"  probedrill demo seed-http-500 --lang zh --keep\n" +
			"  probedrill demo classroom-fast --for 5m --plain",
		RunE: func(c *cobra.Command, args []string) error { return runE(c, logger, streams, flags, args[0]) },
	}
	f := c.Flags()
	f.StringVar(&flags.Lang, "lang", "en", "language of the explanations: en or zh (the seed chapter's)")
	f.DurationVar(&flags.For, "for", 0, "watch this long after the pod is created (default: until every expectation is decided)")
	f.BoolVar(&flags.Keep, "keep", false, "keep the namespace at the end, for the kubectl commands")
	f.BoolVar(&flags.Plain, "plain", false, "plain lines, no colours or redraws (the default when stdout is not a terminal)")
	flags.Target.AddFlags(f)
	return c
}

// oneScenario requires exactly one argument, the scenario's name.
func oneScenario(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return cli.Usage(fmt.Errorf("%s takes one scenario name, got %d arguments; `probedrill list` shows the names", c.CommandPath(), len(args)))
	}
	return nil
}

// runE checks everything that needs no cluster first, so bad input creates
// nothing; then it connects and runs the demo.
func runE(c *cobra.Command, logger log.Logger, streams cmd.IOStreams, flags *flagpole, name string) error {
	lang, s, err := parse(c, flags, name)
	if err != nil {
		return err
	}
	status := cli.StatusForLogger(logger)
	status.Start("Connecting to the cluster")
	t, err := flags.Target.Dial(c.Context())
	status.End(err == nil)
	if err != nil {
		return err
	}
	t.Announce(logger)
	plan, err := drill.Prepare(s, drill.Options{Kubelet: t.Kubelet, Lang: lang})
	if err != nil {
		return err
	}
	if slices.Contains(s.Labels, scenarios.LabelNodeFailure) {
		logger.Warn(nodeFailureNote)
	}
	r := runner{logger: logger, streams: streams, flags: flags, lang: lang, plain: plainOutput(flags, streams.Out)}
	return r.run(c.Context(), plan, t)
}

// parse checks the command line: every error is a usage error (exit 2).
func parse(c *cobra.Command, flags *flagpole, name string) (predict.Lang, *scenarios.Scenario, error) {
	lang, err := screen.ParseLang(flags.Lang)
	if err != nil {
		return "", nil, cli.Usage(err)
	}
	s, err := scenarios.Get(name)
	if err != nil {
		return "", nil, cli.Usage(fmt.Errorf("%w (`probedrill list` shows them all)", err))
	}
	if c.Flags().Changed("for") && (flags.For <= 0 || flags.For > predict.DefaultHorizon) {
		return "", nil, cli.Usage(fmt.Errorf("--for %s: use a duration between 1s and %s", flags.For, predict.DefaultHorizon))
	}
	return lang, s, nil
}

// runner runs one demo.
type runner struct {
	logger  log.Logger
	streams cmd.IOStreams
	flags   *flagpole
	lang    predict.Lang
	plain   bool
}

// run starts the drill, shows it, and always cleans up, even when Ctrl-C
// cancelled the context; then it prints the summary.
func (r runner) run(ctx context.Context, plan *drill.Plan, t *target.Target) error {
	status := cli.StatusForLogger(r.logger)
	status.Start(fmt.Sprintf("Starting %s in a fresh namespace", plan.Scenario.Name))
	d, err := plan.Start(ctx, t.Clientset)
	status.End(err == nil)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("interrupted while starting %s; nothing was left behind", plan.Scenario.Name)
	}
	if err != nil {
		return err
	}
	w := newWatch(d, r.flags.For)
	show := screen.Show{Scenario: plan.Scenario, Predicted: w.predicted(), Lang: r.lang, Namespace: d.Namespace, Until: w.end}
	out, viewErr := r.display(ctx, show, w)
	end := screen.Ending{Findings: out.findings, Stopped: out.stopped, Kept: r.flags.Keep}
	end.CleanupErr = r.finish(ctx, d)
	fmt.Fprint(r.streams.Out, screen.Summary(show, out.snap, end, r.plain, screen.Width(r.streams.Out)))
	return result(plan.Scenario.Name, out, end, viewErr)
}

// display follows the drill on the live screen or in plain lines.
func (r runner) display(ctx context.Context, show screen.Show, w watch) (outcome, error) {
	if r.plain {
		return showPlain(ctx, r.streams.Out, show, w), nil
	}
	return showTTY(ctx, r.streams, show, w)
}

// cleanupTimeout bounds deleting the namespace, which runs on a context of
// its own: after Ctrl-C the command's context is already cancelled.
const cleanupTimeout = 30 * time.Second

// finish deletes the namespace, or with --keep only stops watching it.
func (r runner) finish(ctx context.Context, d *drill.Drill) error {
	if r.flags.Keep {
		d.Observer().Stop()
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	status := cli.StatusForLogger(r.logger)
	status.Start("Deleting namespace " + d.Namespace)
	err := d.Cleanup(ctx)
	status.End(err == nil)
	return err
}

// result is the command's error: none when the drill went as the scenario
// expects or the user stopped it, one line when expectations failed (the
// verdict above has the details).
func result(name string, out outcome, end screen.Ending, viewErr error) error {
	switch {
	case viewErr != nil:
		return fmt.Errorf("the live screen failed (try --plain): %w", viewErr)
	case end.CleanupErr != nil:
		return end.CleanupErr
	case out.stopped:
		return nil
	}
	failed := 0
	for _, f := range out.findings {
		if !f.OK() {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("demo %s: %d of %d expectations not met (see the verdict above)", name, failed, len(out.findings))
	}
	return nil
}
