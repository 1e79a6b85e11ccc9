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
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/nodefault"
	"github.com/probedrill/probedrill/internal/owncheck"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/scenarios"
)

type flagpole struct {
	Target       target.Flags
	Files        []string
	Workload     string
	Container    string
	Faults       []string
	After        int
	Startup      time.Duration
	Cost         time.Duration
	CPULimit     string
	OnSigterm    string
	Minutes      float64
	JSON         bool
	Output       string
	StandIn      bool
	Starts       int
	Duration     time.Duration
	Expect       []string
	Starve       int
	Dependencies []string
	// InjectorNamespace opts in to the injector pod; InjectorImage is its image.
	InjectorNamespace, InjectorImage string
	DryRun                           bool
	Image                            string
}

// NewCommand returns the check command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cobra.ArbitraryArgs,
		Use:   "check (FILE | DIR | -)... [-f FILE]...",
		Short: "Test your workload's probes on your own app: cold starts measured, kills seen",
		Long: "check runs your own workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet or\n" +
			"Job: image, command, env, probes, grace period, unchanged) on the probedrill cluster,\n" +
			"in a namespace of its own with the ConfigMaps and Secrets of the input, and reports\n" +
			"per fault whether the probes did their job:\n" +
			"  cold-start   start it --starts times: when does it first answer its probe, and do\n" +
			"               the probes kill it before (must: no restart)\n" +
			"  crash        SIGKILL, then SIGTERM, to its main process from the node: exit codes,\n" +
			"               restarts and back-off (must: restarted as its restartPolicy says)\n" +
			"Images are loaded from this machine's Docker engine into the nodes; nothing is pulled.\n" +
			"With --stand-in, faultyapp runs behind your probes instead, for the faults your app\n" +
			"cannot show on demand (fail-after, hang, deadlock, slow-start, heavy-health).\n" +
			"It exits 1 when a probe misses a fault or kills a healthy app, so it can gate CI,\n" +
			"and 2 when the input cannot be checked; see docs/check.md.",
		Example: "  probedrill check deploy.yaml\n" +
			"  helm template ./chart | probedrill check - --workload deploy/web --container web\n" +
			"  probedrill check -f k8s/ -o json\n" +
			"  probedrill check probe.yaml --stand-in --faults hang,slow-start --dry-run",
		RunE: func(c *cobra.Command, args []string) error {
			return runE(c.Context(), logger, streams, c.Flags(), flags, append(args, flags.Files...))
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
	f.StringSliceVar(&flags.Faults, "faults", nil, "faults to run (default all): "+strings.Join(owncheck.Faults(), ", ")+
		"; with --stand-in "+strings.Join(probecheck.Faults(), ", "))
	f.IntVar(&flags.After, "after", d.After, "--stand-in: requests (probes included) served before fail-after, hang and deadlock begin")
	f.DurationVar(&flags.Startup, "startup", d.Startup, "--stand-in: how long the slow-start app takes before it listens")
	f.DurationVar(&flags.Cost, "cost", d.Cost, "--stand-in: CPU time one heavy-health check burns")
	f.StringVar(&flags.CPULimit, "cpu-limit", "", "--stand-in: CPU limit the heavy-health check runs under (default: the container's own, else none)")
	f.StringVar(&flags.OnSigterm, "on-sigterm", d.OnSigterm, "--stand-in: what the app does on SIGTERM: exit (143), drain (0) or ignore (SIGKILL after the grace period, 137)")
	f.Float64Var(&flags.Minutes, "minutes", 0, "--stand-in: watch each fault this many minutes (default: the predicted first kill plus a margin, at most 10)")
	f.StringVarP(&flags.Output, "output", "o", report.FormatText, "report format: text, json or junit (JUnit XML for CI)")
	f.BoolVar(&flags.JSON, "json", false, "the same as -o json")
	_ = f.MarkHidden("json")
	f.BoolVar(&flags.StandIn, "stand-in", false, "run faultyapp behind your probes instead of your own app (its faults: "+strings.Join(probecheck.Faults(), ", ")+")")
	f.IntVar(&flags.Starts, "starts", 3, "cold starts to measure (your own app)")
	f.DurationVar(&flags.Duration, "duration", 0, "how long cpu-starve holds (default: twice the liveness probe's window, at least 10s)")
	f.StringSliceVar(&flags.Expect, "expect-restart", nil, "faults the app does not survive, so a restart is right: "+strings.Join(expectable, ", "))
	f.StringArrayVar(&flags.Dependencies, "dependency", nil, "HOST:PORT dependency-cut cuts (repeatable; HOST a Service of the input or an IP; default: every Service the workload talks to)")
	f.StringVar(&flags.InjectorNamespace, "injector-namespace", "", "reach the nodes through a privileged pod (hostPID) on each node, in this existing namespace "+
		"(its Pod Security level must allow it): how crash and the injected faults run on a cluster other than probedrill's")
	f.StringVar(&flags.InjectorImage, "injector-image", nodefault.DefaultImage, "the injector pod's image: busybox with nsenter (make image-apps builds it; push it where your cluster pulls from)")
	f.IntVar(&flags.Starve, "starve-to", owncheck.DefaultStarvePercent, "cpu-starve's CPU quota, in percent of one core")
	f.BoolVar(&flags.DryRun, "dry-run", false, "--stand-in: predict only, no cluster, nothing created")
	f.StringVar(&flags.Image, "image", "", "faultyapp image (for development)")
	_ = f.MarkHidden("image")
}

// options turns the flags into probecheck.Options; errors are usage errors.
func options(flags *flagpole) (probecheck.Options, error) {
	o := probecheck.DefaultOptions()
	o.After, o.Startup, o.Cost, o.OnSigterm = flags.After, flags.Startup, flags.Cost, flags.OnSigterm
	if len(flags.Faults) > 0 {
		o.Faults = flags.Faults
	}
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

func runE(ctx context.Context, logger log.Logger, streams cmd.IOStreams, fs flagSet, flags *flagpole, sources []string) error {
	if o := flags.output(); o != report.FormatText && o != report.FormatJSON && o != report.FormatJUnit {
		return cli.Usage(fmt.Errorf("-o %q: use text, json or junit", flags.Output))
	}
	if flags.output() == report.FormatJUnit && flags.StandIn {
		return cli.Usage(errors.New("-o junit: the --stand-in report is text or json"))
	}
	if len(sources) == 0 {
		return cli.Usage(errors.New("check needs the manifests to check: give a FILE, a directory, or - for stdin (or -f FILE)"))
	}
	if !flags.StandIn {
		o, err := ownOptions(fs, flags)
		if err != nil {
			return err
		}
		in, err := read(streams, flags, sources)
		if err != nil {
			return err
		}
		return runOwn(ctx, logger, streams, flags, in, o)
	}
	for _, name := range ownFlags {
		if fs.Changed(name) {
			return cli.Usage(fmt.Errorf("--%s shapes the check of your own app; faultyapp standing in (--stand-in) does not use it: drop one of them", name))
		}
	}
	o, err := options(flags)
	if err != nil {
		return err
	}
	in, err := read(streams, flags, sources)
	if err != nil {
		return err
	}
	if flags.DryRun {
		// No cluster: predicted for probedrill's, as predict does.
		choice, err := target.OfflineCalibration(flags.Target.Calibration)
		if err != nil {
			return err
		}
		o.Kubelet = choice.Kubelet(predict.Kubelet{})
		k, err := prepare(in, o)
		if err != nil {
			return err
		}
		return write(streams.Out, flags, probecheck.Report{Check: k, Results: k.Predicted(), DryRun: true})
	}
	return runLive(ctx, logger, streams, flags, in, o)
}

// read reads the input the flags select; its problems are usage errors
// (exit 2). Each mode validates its flags first.
func read(streams cmd.IOStreams, flags *flagpole, sources []string) (*probecheck.Input, error) {
	in, err := probecheck.Read(sources, streams.In, probecheck.Selection{Workload: flags.Workload, Container: flags.Container})
	return in, cli.Usage(err)
}

// output is the report format: -o, or json for the older --json.
func (f *flagpole) output() string {
	if f.JSON {
		return report.FormatJSON
	}
	return f.Output
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
	if flags.output() == report.FormatJSON {
		err = r.WriteJSON(w)
	} else {
		err = r.WriteText(w)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return r.Err()
}
