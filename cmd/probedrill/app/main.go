// Package app is the probedrill CLI: Main for the binary, and Run, the
// testable entry that takes a logger, streams and arguments (kind's
// cmd/kind/app shape). Errors are printed here and nowhere else.
package app

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/go-logr/logr/funcr"
	"github.com/spf13/pflag"
	"k8s.io/klog/v2"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/exec"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
)

// Exit codes: 1 when a command ran and failed, 2 when it could not run (bad
// input, or the Docker engine or the cluster is not there).
const (
	ExitFailure = 1
	ExitUsage   = 2
)

// Main is probedrill's main(): it runs the command line and exits non-zero on error.
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	logger := cli.NewLogger(os.Stderr, 0)
	routeKlog(logger)
	err := RunContext(ctx, logger, cmd.StandardIOStreams(), os.Args[1:])
	stop()
	if err != nil {
		os.Exit(ExitCode(err))
	}
}

// routeKlog sends klog's output to logger at -v 1. client-go reports
// port-forward and watch hiccups through klog (errors included, which klog
// would also copy to stderr); they are details of waits that retry.
func routeKlog(logger log.Logger) {
	klog.SetLogger(funcr.New(func(prefix, args string) {
		logger.V(1).Info(strings.TrimSpace(prefix + " " + args))
	}, funcr.Options{}))
}

// Run runs the probedrill command line with args.
func Run(logger log.Logger, streams cmd.IOStreams, args []string) error {
	return RunContext(context.Background(), logger, streams, args)
}

// RunContext is Run with a context that ends on Ctrl-C.
func RunContext(ctx context.Context, logger log.Logger, streams cmd.IOStreams, args []string) error {
	if quiet(args) {
		logger = log.NoopLogger{}
		streams.ErrOut = io.Discard
	}
	c := NewCommand(logger, streams)
	c.SetArgs(args)
	if err := c.ExecuteContext(ctx); err != nil {
		if strings.HasPrefix(err.Error(), "unknown command") {
			err = cli.Usage(err) // cobra's, for a verb that does not exist
		}
		logError(logger, err)
		return err
	}
	return nil
}

// ExitCode is the process exit code for err.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	if cli.IsUsage(err) || cli.IsPrecondition(err) || errors.Is(err, cluster.ErrEngineNotRunning) {
		return ExitUsage
	}
	return ExitFailure
}

// quiet reports whether -q / --quiet is among args (handled before cobra so
// that even cobra's own output is silenced, as kind does).
func quiet(args []string) bool {
	flags := pflag.NewFlagSet("quiet", pflag.ContinueOnError)
	flags.ParseErrorsAllowlist.UnknownFlags = true
	flags.Usage = func() {}
	q := flags.BoolP("quiet", "q", false, "")
	_ = flags.Parse(args)
	return *q
}

// logError prints err once, with the output of the command that failed, if any.
func logError(logger log.Logger, err error) {
	prefix := "ERROR"
	if cmd.ColorEnabled(logger) {
		prefix = "\x1b[31mERROR\x1b[0m"
	}
	logger.Errorf("%s: %v", prefix, err)
	var run *exec.RunError
	if errors.As(err, &run) && len(run.Output) > 0 {
		logger.Errorf("Command output (%s):\n%s", run.PrettyCommand(), strings.TrimRight(string(run.Output), "\n"))
	}
}
