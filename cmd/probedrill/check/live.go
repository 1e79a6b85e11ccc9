package check

import (
	"context"
	"fmt"

	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/probecheck"
)

// runLive runs the check on the cluster. A cluster that cannot be reached
// or is refused by the guard means the check could not run: a precondition
// error (exit 2), so that a CI gate does not read it as a bad probe.
func runLive(ctx context.Context, logger log.Logger, streams cmd.IOStreams, flags *flagpole, in *probecheck.Input, o probecheck.Options) error {
	if _, err := prepare(in, o); err != nil { // first with the defaults: bad input fails before any connection
		return err
	}
	status := cli.StatusForLogger(logger)
	status.Start("Connecting to the cluster")
	t, err := flags.Target.Dial(ctx)
	if err != nil {
		status.End(false)
		return err
	}
	o.Kubelet = t.Kubelet
	k, err := prepare(in, o)
	if err != nil {
		status.End(false)
		return err
	}
	results, err := run(ctx, status, k, t.Clientset)
	if err != nil {
		return err
	}
	return write(streams.Out, flags, probecheck.Report{Check: k, Results: results, Note: t.Note})
}

// run starts and watches the drills under one status line.
func run(ctx context.Context, status *cli.Status, k *probecheck.Check, cs kubernetes.Interface) ([]probecheck.Result, error) {
	faults := "1 fault"
	if n := k.Runnable(); n != 1 {
		faults = fmt.Sprintf("%d faults", n)
	}
	status.Start(fmt.Sprintf("Running %s behind your probes, each for %s", faults, k.Window))
	results, err := k.Run(ctx, cs, status.Detail)
	status.End(err == nil)
	switch {
	case err != nil && err == ctx.Err():
		return nil, fmt.Errorf("interrupted; every drill's namespace was deleted (%w)", err)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("interrupted: %w", err)
	case err != nil:
		return nil, fmt.Errorf("running the check: %w", err)
	}
	return results, nil
}
