// Package up implements `probedrill up`: create or reuse the cluster.
package up

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/calibrate"
	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
)

type flagpole struct {
	Profile          string
	MaxRestartPeriod time.Duration
	FastNodeFailure  bool
	Recreate         bool
	Retain           bool
	Images           []string
	Wait             time.Duration
	Kubeconfig       string
	NodeImage        string
	Calibrate        bool
}

// NewCommand returns the up command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	c, _ := newCommand(logger, streams)
	return c
}

func newCommand(logger log.Logger, streams cmd.IOStreams) (*cobra.Command, *flagpole) {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cli.NoArgs,
		Use:   "up",
		Short: "Create the probedrill cluster, or reuse it when it is already there",
		Long: "up makes the probedrill kind cluster ready for drills: it creates it from the\n" +
			"offline node image (or reuses it, starting its nodes again if Docker stopped\n" +
			"them), loads the faultyapp image, and waits until every node is Ready and the\n" +
			"cluster DNS answers. kubectl then works with context " + cluster.Context + ".",
		Example: "  probedrill up\n" +
			"  probedrill up --profile multi\n" +
			"  probedrill up --max-restart-period 30s --recreate",
		RunE: func(c *cobra.Command, _ []string) error {
			opts, err := options(c, flags)
			if err != nil {
				return err
			}
			return runE(c, logger, streams, flags, opts)
		},
	}
	f := c.Flags()
	f.StringVar(&flags.Profile, "profile", string(cluster.Single), "cluster shape: single (one node) or multi (control plane + 2 workers)")
	f.DurationVar(&flags.MaxRestartPeriod, "max-restart-period", 0, "cap the kubelet's crash-loop back-off (1s to 300s; default: the kubelet's 300s)")
	f.BoolVar(&flags.FastNodeFailure, "fast-node-failure", false, "detect a lost node in ~25s and evict its pods ~10s later (default: on for multi, off for single)")
	f.BoolVar(&flags.Recreate, "recreate", false, "delete the cluster first if it exists")
	f.BoolVar(&flags.Retain, "retain", false, "keep a cluster whose creation failed, for debugging")
	f.StringSliceVar(&flags.Images, "load-image", []string{cluster.FaultyAppImage}, "host docker images to load into every node")
	f.DurationVar(&flags.Wait, "wait", cluster.DefaultReadyTimeout, "how long to wait for Ready nodes and DNS")
	f.StringVar(&flags.Kubeconfig, "kubeconfig", "", "merge the context into this file instead of $KUBECONFIG or ~/.kube/config")
	f.BoolVar(&flags.Calibrate, "calibrate", true, "measure the cluster's latencies when none are stored for its node image (about a minute, once; probedrill calibrate)")
	f.StringVar(&flags.NodeImage, "node-image", cluster.NodeImage, "node image (for developing the image)")
	_ = f.MarkHidden("node-image")
	return c, flags
}

// options turns the flags into cluster options; only flags given on the
// command line are passed, so that `up` alone reuses whatever cluster exists.
func options(c *cobra.Command, flags *flagpole) ([]cluster.Option, error) {
	opts := []cluster.Option{
		cluster.WithRecreate(flags.Recreate),
		cluster.WithRetain(flags.Retain),
		cluster.WithImages(flags.Images...),
		cluster.WithReadyTimeout(flags.Wait),
		cluster.WithNodeImage(flags.NodeImage),
	}
	changed := c.Flags().Changed
	if changed("profile") {
		p := cluster.ParseProfile(flags.Profile)
		if p == "" {
			return nil, cli.Usage(fmt.Errorf("--profile %q: use single or multi", flags.Profile))
		}
		opts = append(opts, cluster.WithProfile(p))
	}
	if changed("max-restart-period") {
		opts = append(opts, cluster.WithMaxRestartPeriod(flags.MaxRestartPeriod))
	}
	if changed("fast-node-failure") {
		opts = append(opts, cluster.WithFastNodeFailure(flags.FastNodeFailure))
	}
	return opts, nil
}

func runE(c *cobra.Command, logger log.Logger, streams cmd.IOStreams, flags *flagpole, opts []cluster.Option) error {
	p := cluster.NewProvider(cluster.WithLogger(logger), cluster.WithKubeconfig(flags.Kubeconfig))
	cl, err := p.Up(c.Context(), opts...)
	if err != nil {
		return err
	}
	fmt.Fprint(streams.Out, Summary(cl.Settings))
	if flags.Calibrate {
		calibrateOnce(c.Context(), logger, streams, cl)
	}
	return c.Context().Err() // Ctrl-C during the calibration
}

// calibrateOnce measures a cluster whose node image has no calibration
// stored yet (a new machine, a new image): the cluster is quiet now, right
// after up. A failure costs only tightness, so it is a warning: predictions
// keep the shipped default.
func calibrateOnce(ctx context.Context, logger log.Logger, streams cmd.IOStreams, cl *cluster.Cluster) {
	key := calibration.Key{Cluster: cluster.Name, NodeImage: cl.Settings.NodeImage}
	if stored, err := key.Stored(); stored || err != nil {
		return
	}
	f, err := measure(ctx, logger, cl)
	if err == nil {
		_, err = key.Store(f)
	}
	if err != nil {
		logger.Warn(fmt.Sprintf("Calibration failed: %v; predictions use the shipped default (probedrill calibrate tries again).", err))
		return
	}
	effect, err := calibrate.Effect(f)
	if err != nil {
		effect = ""
	}
	fmt.Fprintf(streams.Out, "Calibrated: predictions for this cluster use its measured latencies. %s\n", effect)
}

func measure(ctx context.Context, logger log.Logger, cl *cluster.Cluster) (calibration.File, error) {
	cs, err := cl.Clientset()
	if err != nil {
		return calibration.File{}, err
	}
	return calibrate.Measure(ctx, logger, cs, calibrate.DefaultRuns)
}

// Summary is what `up` prints on stdout when the cluster is ready.
func Summary(s cluster.Settings) string {
	nodes := "1 node"
	if s.Nodes != 1 {
		nodes = fmt.Sprintf("%d nodes", s.Nodes)
	}
	text := fmt.Sprintf("Cluster %s is ready: %s, %s, %s, crash-loop back-off capped at %s",
		cluster.Name, s.Profile, s.KubernetesVersion, nodes, cluster.FormatDuration(s.MaxContainerRestartPeriod))
	if s.FastNodeFailure {
		text += fmt.Sprintf(", lost nodes detected after %s", cluster.FormatDuration(s.NodeMonitorGracePeriod))
	}
	return text + ".\nkubectl uses context " + cluster.Context + ": try `kubectl get nodes`.\n"
}
