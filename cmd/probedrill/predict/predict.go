// Package predict implements `probedrill predict NAME`: the timeline the
// model expects, without a cluster.
package predict

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/screen"
	"github.com/probedrill/probedrill/scenarios"
)

// maxUntil bounds --until: past a few hours nobody watches a drill.
const maxUntil = 4 * time.Hour

type flagpole struct {
	Lang             string
	MaxRestartPeriod time.Duration
	Until            time.Duration
}

// NewCommand returns the predict command.
func NewCommand(_ log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  oneScenario,
		Use:   "predict NAME",
		Short: "Print the timeline the kubelet should follow for a scenario (no cluster needed)",
		Long: "predict prints what the kubelet should do to a scenario's pod: every probe failure,\n" +
			"kill, exit and restart with the window it should fall in and why, the RESTARTS\n" +
			"column over time, and the exit codes. `probedrill demo NAME` then checks it live.",
		Example: "  probedrill predict seed-http-500\n" +
			"  probedrill predict classroom-fast --lang zh\n" +
			"  probedrill predict seed-crash-loop --max-restart-period 30s --until 5m",
		RunE: func(c *cobra.Command, args []string) error { return runE(c, streams, flags, args[0]) },
	}
	f := c.Flags()
	f.StringVar(&flags.Lang, "lang", "en", "language of the explanations: en or zh (the seed chapter's)")
	f.DurationVar(&flags.MaxRestartPeriod, "max-restart-period", 0, "the kubelet's crash-loop back-off cap, as probedrill up --max-restart-period set it (default 300s)")
	f.DurationVar(&flags.Until, "until", 0, "how far ahead to predict (default: as long as demo watches)")
	return c
}

// oneScenario requires exactly one argument, the scenario's name.
func oneScenario(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return cli.Usage(fmt.Errorf("%s takes one scenario name, got %d arguments; `probedrill list` shows the names", c.CommandPath(), len(args)))
	}
	return nil
}

func runE(c *cobra.Command, streams cmd.IOStreams, flags *flagpole, name string) error {
	lang, err := screen.ParseLang(flags.Lang)
	if err != nil {
		return cli.Usage(err)
	}
	if c.Flags().Changed("until") && (flags.Until <= 0 || flags.Until > maxUntil) {
		return cli.Usage(fmt.Errorf("--until %s: use a duration between 1s and %s", flags.Until, maxUntil))
	}
	s, err := scenarios.Get(name)
	if err != nil {
		return cli.Usage(fmt.Errorf("%w (`probedrill list` shows them all)", err))
	}
	k := predict.Kubelet{MaxContainerRestartPeriod: flags.MaxRestartPeriod}
	plan, err := drill.Prepare(s, drill.Options{Kubelet: k, Lang: lang})
	if err != nil && c.Flags().Changed("max-restart-period") {
		return cli.Usage(fmt.Errorf("--max-restart-period %s: %w", flags.MaxRestartPeriod, err))
	}
	if err != nil {
		return err
	}
	until, p := plan.Deadline, plan.Prediction
	if flags.Until > 0 {
		until = flags.Until
	}
	if until > p.Horizon {
		if p, err = predict.Predict(s, k, predict.WithLang(lang), predict.WithHorizon(until)); err != nil {
			return err
		}
	}
	fmt.Fprint(streams.Out, screen.Prediction(s, p, lang, until, screen.Width(streams.Out)))
	return nil
}
