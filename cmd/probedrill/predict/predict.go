// Package predict implements `probedrill predict NAME`: the timeline the
// model expects, without a cluster.
package predict

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/predictdoc"
	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/internal/screen"
	"github.com/probedrill/probedrill/scenarios"
)

// maxUntil bounds --until: past a few hours nobody watches a drill.
const maxUntil = 4 * time.Hour

// formatText is the default -o: the timeline for people.
const formatText = "text"

// formats are predict's -o values.
var formats = []string{formatText, cli.FormatJSON, cli.FormatYAML}

type flagpole struct {
	Calibration      string
	Fault            string
	Filename         string
	Lang             string
	MaxRestartPeriod time.Duration
	Output           string
	Until            time.Duration
}

// NewCommand returns the predict command.
func NewCommand(_ log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  atMostOne,
		Use:   "predict (NAME | -f FILE)",
		Short: "Print the timeline the kubelet should follow for a scenario (no cluster needed)",
		Long: "predict prints what the kubelet should do to a scenario's pod: every probe failure,\n" +
			"kill, exit and restart with the window it should fall in and why, the RESTARTS\n" +
			"column over time, and the exit codes. `probedrill demo NAME` then checks it live.\n" +
			"NAME is a catalog scenario (probedrill list); -f reads a scenario file instead,\n" +
			"or a Pod or Deployment manifest: faultyapp then stands in behind its probes\n" +
			"with --fault, as `probedrill check --stand-in` drills them.\n" +
			"-o json or yaml prints the same prediction for machines (docs/predict.md).",
		Example: "  probedrill predict seed-http-500\n" +
			"  probedrill predict classroom-fast --lang zh\n" +
			"  probedrill predict seed-crash-loop --max-restart-period 30s --until 5m\n" +
			"  probedrill predict classroom-fast -o json\n" +
			"  probedrill predict -f my-scenario.yaml -o yaml\n" +
			"  probedrill predict -f deployment.yaml --fault hang",
		RunE: func(c *cobra.Command, args []string) error { return runE(c, streams, flags, args) },
	}
	f := c.Flags()
	f.StringVarP(&flags.Filename, "filename", "f", "", "a scenario file to predict instead of a catalog NAME, or - for stdin")
	f.StringVar(&flags.Calibration, "calibration", "", calibration.FlagUsage)
	f.StringVar(&flags.Fault, "fault", scenarios.FaultFailAfter, "with -f MANIFEST: the fault faultyapp plays behind its probes ("+strings.Join(probecheck.Faults(), ", ")+")")
	f.StringVarP(&flags.Output, "output", "o", formatText, "output format: text, json or yaml (docs/predict.md)")
	f.StringVar(&flags.Lang, "lang", "en", "language of the explanations: en or zh (the seed chapter's)")
	f.DurationVar(&flags.MaxRestartPeriod, "max-restart-period", 0, "the kubelet's crash-loop back-off cap, as probedrill up --max-restart-period set it (default 300s)")
	f.DurationVar(&flags.Until, "until", 0, "how far ahead to predict (default: as long as demo watches)")
	return c
}

// atMostOne allows NAME, or nothing when -f names the file.
func atMostOne(c *cobra.Command, args []string) error {
	if len(args) > 1 {
		return cli.Usage(fmt.Errorf("%s takes one scenario name or -f FILE, got %d arguments", c.CommandPath(), len(args)))
	}
	return nil
}

func runE(c *cobra.Command, streams cmd.IOStreams, flags *flagpole, args []string) error {
	lang, err := screen.ParseLang(flags.Lang)
	if err != nil {
		return cli.Usage(err)
	}
	if !slices.Contains(formats, flags.Output) {
		return cli.Usage(fmt.Errorf("-o %q: use text, json or yaml", flags.Output))
	}
	if c.Flags().Changed("until") && (flags.Until <= 0 || flags.Until > maxUntil) {
		return cli.Usage(fmt.Errorf("--until %s: use a duration between 1s and %s", flags.Until, maxUntil))
	}
	s, source, err := scenario(c, streams.In, flags, args)
	if err != nil {
		return cli.Usage(err)
	}
	// Without a cluster, predict speaks for probedrill's: its stored
	// calibration, or the shipped default.
	choice, err := target.OfflineCalibration(flags.Calibration)
	if err != nil {
		return err
	}
	k := choice.Kubelet(predict.Kubelet{MaxContainerRestartPeriod: flags.MaxRestartPeriod})
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
	if flags.Output == formatText {
		fmt.Fprint(streams.Out, screen.Prediction(s, p, lang, until, screen.Width(streams.Out)))
		if lang == predict.Chinese {
			fmt.Fprintf(streams.Out, "\n%s。\n", choice.Chinese())
		} else {
			fmt.Fprintf(streams.Out, "\n%s.\n", choice)
		}
		return nil
	}
	doc, err := predictdoc.New(s, source, k, choice.Source, p, until)
	if err != nil {
		return err
	}
	return predictdoc.Write(streams.Out, flags.Output, doc)
}
