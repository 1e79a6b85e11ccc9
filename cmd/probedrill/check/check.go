// Package check implements `probedrill check FILE`: run a user's probe
// configuration against faults and report, per fault, whether the probes
// caught what they must catch and spared what they must not kill. The logic
// is internal/probecheck's; this package is the command line.
package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/scenarios"
)

type flagpole struct {
	Target    target.Flags
	Files     []string
	Workload  string
	Container string
	Faults    []string
	After     int
	Startup   time.Duration
	Cost      time.Duration
	CPULimit  string
	OnSigterm string
	Minutes   float64
	JSON      bool
	DryRun    bool
	Image     string
}

// NewCommand returns the check command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cobra.ArbitraryArgs,
		Use:   "check (FILE | DIR | -)... [-f FILE]...",
		Short: "Test your Pod or Deployment's probes against faults: what they catch, what they kill",
		Long: "check runs faultyapp behind the probes of your Pod or Deployment (or a bare\n" +
			"livenessProbe) on the probedrill cluster, once per fault, each as a bare Pod in a\n" +
			"namespace of its own with your probes, grace period and CPU limit, and reports per\n" +
			"fault whether the probes did their job:\n" +
			"  fail-after, hang, deadlock   the app is broken: the probe must restart it\n" +
			"  slow-start, heavy-health     the app is healthy, only slow: a restart is a false restart\n" +
			"It exits 1 when a probe misses a fault or kills a healthy app, so it can gate CI,\n" +
			"and 2 when the file cannot be checked. Exec and gRPC liveness probes are refused:\n" +
			"faultyapp cannot run your command.",
		Example: "  probedrill check deploy.yaml\n" +
			"  probedrill check deploy.yaml --container web --faults hang,slow-start --startup 45s\n" +
			"  probedrill check probe.yaml --dry-run --json",
		RunE: func(c *cobra.Command, args []string) error {
			return runE(c.Context(), logger, streams, flags, append(args, flags.Files...))
		},
	}
	addFlags(c, flags)
	return c
}

func addFlags(c *cobra.Command, flags *flagpole) {
	d := probecheck.DefaultOptions()
	f := c.Flags()
	flags.Target.AddFlags(f)
	f.StringSliceVarP(&flags.Files, "filename", "f", nil, "a manifest file, a directory of them, or - for stdin (repeatable; as kubectl -f)")
	f.StringVar(&flags.Workload, "workload", "", "the workload to check (KIND/NAME, e.g. deploy/web), when the input holds several")
	f.StringVar(&flags.Container, "container", "", "the container whose probes to check, when the pod has several")
	f.StringSliceVar(&flags.Faults, "faults", probecheck.Faults(), "faults to run")
	f.IntVar(&flags.After, "after", d.After, "requests (probes included) served before fail-after, hang and deadlock begin")
	f.DurationVar(&flags.Startup, "startup", d.Startup, "how long the slow-start app takes before it listens")
	f.DurationVar(&flags.Cost, "cost", d.Cost, "CPU time one heavy-health check burns")
	f.StringVar(&flags.CPULimit, "cpu-limit", "", "CPU limit the heavy-health check runs under (default: the container's own, else none)")
	f.StringVar(&flags.OnSigterm, "on-sigterm", d.OnSigterm, "what the app does on SIGTERM: exit (143), drain (0) or ignore (SIGKILL after the grace period, 137)")
	f.Float64Var(&flags.Minutes, "minutes", 0, "watch each fault this many minutes (default: the predicted first kill plus a margin, at most 10)")
	f.BoolVar(&flags.JSON, "json", false, "print the report as JSON")
	f.BoolVar(&flags.DryRun, "dry-run", false, "predict only: no cluster, nothing created")
	f.StringVar(&flags.Image, "image", "", "faultyapp image (for development)")
	_ = f.MarkHidden("image")
}

// options turns the flags into probecheck.Options; errors are usage errors.
func options(flags *flagpole) (probecheck.Options, error) {
	o := probecheck.DefaultOptions()
	o.Faults, o.After, o.Startup, o.Cost, o.OnSigterm = flags.Faults, flags.After, flags.Startup, flags.Cost, flags.OnSigterm
	o.Window, o.Image = time.Duration(flags.Minutes*float64(time.Minute)).Round(time.Second), flags.Image
	if flags.Minutes < 0 || flags.Minutes > probecheck.MaxWindow.Minutes() {
		return o, cli.Usage(fmt.Errorf("--minutes %g: use more than 0 and at most %g", flags.Minutes, probecheck.MaxWindow.Minutes()))
	}
	if flags.CPULimit != "" {
		q, err := resource.ParseQuantity(flags.CPULimit)
		if err != nil {
			return o, cli.Usage(fmt.Errorf("--cpu-limit %q: use a CPU quantity, e.g. 100m or 0.5", flags.CPULimit))
		}
		o.CPULimit = &q
	}
	return o, cli.Usage(o.Validate())
}

func runE(ctx context.Context, logger log.Logger, streams cmd.IOStreams, flags *flagpole, sources []string) error {
	o, err := options(flags)
	if err != nil {
		return err
	}
	if len(sources) == 0 {
		return cli.Usage(errors.New("check needs the manifests to check: give a FILE, a directory, or - for stdin (or -f FILE)"))
	}
	in, err := probecheck.Read(sources, streams.In, probecheck.Selection{Workload: flags.Workload, Container: flags.Container})
	if err != nil {
		return cli.Usage(err)
	}
	if flags.DryRun {
		o.Kubelet = predict.DefaultKubelet()
		k, err := prepare(in, o)
		if err != nil {
			return err
		}
		return write(streams.Out, flags, probecheck.Report{Check: k, Results: k.Predicted(), DryRun: true})
	}
	return runLive(ctx, logger, streams, flags, in, o)
}

// prepare builds the check; bad input is a usage error (exit 2).
func prepare(in *probecheck.Input, o probecheck.Options) (*probecheck.Check, error) {
	k, err := probecheck.Prepare(in, o)
	var invalid *scenarios.InvalidError
	if errors.As(err, &invalid) {
		return nil, cli.Usage(err)
	}
	return k, err
}

// write prints the report and returns its verdict as the command's error.
func write(w io.Writer, flags *flagpole, r probecheck.Report) error {
	var err error
	if flags.JSON {
		err = r.WriteJSON(w)
	} else {
		err = r.WriteText(w)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return r.Err()
}
