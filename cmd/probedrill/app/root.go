package app

import (
	"io"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/calibrate"
	"github.com/probedrill/probedrill/cmd/probedrill/check"
	"github.com/probedrill/probedrill/cmd/probedrill/demo"
	"github.com/probedrill/probedrill/cmd/probedrill/down"
	"github.com/probedrill/probedrill/cmd/probedrill/list"
	"github.com/probedrill/probedrill/cmd/probedrill/predict"
	"github.com/probedrill/probedrill/cmd/probedrill/report"
	runverb "github.com/probedrill/probedrill/cmd/probedrill/run" // main_test.go has a run helper
	"github.com/probedrill/probedrill/cmd/probedrill/up"
	"github.com/probedrill/probedrill/internal/cli"
)

type flagpole struct {
	Verbosity int32
	Quiet     bool
}

// NewCommand returns the root command with every verb.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Use:   "probedrill",
		Short: "Kubernetes liveness-probe drills on a local kind cluster",
		Long: "probedrill shows what the kubelet does when a liveness probe fails, on a real\n" +
			"Kubernetes cluster running in Docker on this machine.",
		PersistentPreRunE: func(*cobra.Command, []string) error {
			configureLogger(logger, flags)
			return nil
		},
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	c.Version = version()
	c.SetVersionTemplate("probedrill {{.Version}}\n")
	c.SetOut(streams.Out)
	c.SetErr(streams.ErrOut)
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cli.Usage(err) })
	c.PersistentFlags().Int32VarP(&flags.Verbosity, "verbosity", "v", 0, "log verbosity; 1 shows kind's and client-go's own steps")
	c.PersistentFlags().BoolVarP(&flags.Quiet, "quiet", "q", false, "silence all progress output on stderr")
	for _, verb := range []*cobra.Command{
		up.NewCommand(logger, streams),
		calibrate.NewCommand(logger, streams),
		down.NewCommand(logger, streams),
		list.NewCommand(logger, streams),
		predict.NewCommand(logger, streams),
		demo.NewCommand(logger, streams),
		check.NewCommand(logger, streams),
		runverb.NewCommand(logger, streams),
		report.NewCommand(logger, streams),
	} {
		verb.SetFlagErrorFunc(c.FlagErrorFunc())
		c.AddCommand(verb)
	}
	return c
}

// configureLogger applies -v and -q to loggers that support them (kind's pattern).
func configureLogger(logger log.Logger, flags *flagpole) {
	if v, ok := logger.(interface{ SetVerbosity(log.Level) }); ok {
		v.SetVerbosity(log.Level(flags.Verbosity))
	}
	if w, ok := logger.(interface{ SetWriter(io.Writer) }); ok && flags.Quiet {
		w.SetWriter(io.Discard)
	}
}
