// Package calibrate implements `probedrill calibrate`: measure how long this
// cluster's kubelet and runtime take between the steps the model cannot know
// exactly, and store it for the predictions made for this cluster
// (internal/calibration, docs/predict.md "Calibration").
package calibrate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// The calibration drill: copies of one catalog scenario whose container
// starts, is killed at SIGTERM and restarts without a back-off hold three
// times in its first minute, so every latency File.Kubelet reads gets
// samples (firstStart one per copy; kill, exit and restart about three).
const (
	// Scenario is the drill's scenario.
	Scenario = "classroom-fast"
	// DefaultRuns copies give each latency at least calibration's minimum
	// of samples (5 first starts).
	DefaultRuns = 6
	// watch is how long each copy is watched: its third restart comes at
	// about +49 s; what follows is back-off, which the model knows.
	watch = 60 * time.Second
	// gap spaces the copies' starts, as run does, so that they measure a
	// quiet node rather than a burst of pod creations.
	gap = 2 * time.Second
	// cleanupTimeout bounds deleting a copy's namespace, after Ctrl-C too.
	cleanupTimeout = 30 * time.Second
)

type flagpole struct {
	Runs       int
	OutputFile string
	Target     target.Flags
}

// NewCommand returns the calibrate command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cli.NoArgs,
		Use:   "calibrate",
		Short: "Measure this cluster's latencies, so that predictions for it are tight",
		Long: "calibrate runs " + fmt.Sprint(DefaultRuns) + " copies of " + Scenario + " for a minute and measures, from what\n" +
			"the API shows, how long this cluster takes from pod creation to the first\n" +
			"container, from a probe's last failure to the kill, from the kill to the exit\n" +
			"and from the exit to the next start; and, from the first container's log,\n" +
			"how long before it the probe workers started. It stores them for this\n" +
			"cluster and node image in the probedrill cache, where predict, demo, run and\n" +
			"check find them (`probedrill up` calibrates a new cluster once).\n" +
			"--output-file writes them to a file for --calibration instead. Run it on a\n" +
			"quiet cluster: it measures whatever load the cluster has.",
		Example: "  probedrill calibrate\n" +
			"  probedrill calibrate --runs 10\n" +
			"  probedrill calibrate --output-file busy.json && probedrill predict classroom-fast --calibration busy.json",
		RunE: func(c *cobra.Command, _ []string) error { return runE(c.Context(), logger, streams, flags) },
	}
	f := c.Flags()
	f.IntVar(&flags.Runs, "runs", DefaultRuns, "copies of the calibration drill (5 to 20)")
	f.StringVar(&flags.OutputFile, "output-file", "", "write the calibration to this file instead of the cache")
	flags.Target.AddFlags(f)
	return c
}

func runE(ctx context.Context, logger log.Logger, streams cmd.IOStreams, flags *flagpole) error {
	if flags.Runs < 5 || flags.Runs > 20 {
		return cli.Usage(fmt.Errorf("--runs %d: use a number from 5 to 20", flags.Runs))
	}
	if flags.Target.Calibration != "" {
		return cli.Usage(fmt.Errorf("--calibration: calibrate measures a calibration; it does not read one"))
	}
	if dir := filepath.Dir(flags.OutputFile); flags.OutputFile != "" {
		// Found now, not after a minute of drills.
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return cli.Usage(fmt.Errorf("--output-file %s: no directory %s to write it in", flags.OutputFile, dir))
		}
	}
	t, err := flags.Target.Dial(ctx)
	if err != nil {
		return err
	}
	// Another cluster's predictions never read the cache (they assume the
	// envelope), so its calibration must go to a file.
	if t.CalibrationKey == nil && flags.OutputFile == "" {
		return cli.Usage(fmt.Errorf("this is not a probedrill cluster: give --output-file, and --calibration FILE to the commands that drill it"))
	}
	f, err := Measure(ctx, logger, t.Clientset, flags.Runs)
	if err != nil {
		return err
	}
	path := flags.OutputFile
	if path == "" {
		path, err = t.CalibrationKey.Store(f)
	} else {
		err = f.Save(path)
	}
	if err != nil {
		return err
	}
	return Summary(streams.Out, f, path)
}

// Measure runs the calibration drill (runs copies of Scenario, watch long
// each) on a progress line and returns what they measured. Every copy's
// namespace is deleted, on Ctrl-C too.
func Measure(ctx context.Context, logger log.Logger, cs kubernetes.Interface, runs int) (calibration.File, error) {
	s, err := scenarios.Get(Scenario)
	if err != nil {
		return calibration.File{}, err
	}
	plan, err := drill.Prepare(s, drill.Options{Kubelet: predict.DefaultKubelet()})
	if err != nil {
		return calibration.File{}, err
	}
	status := cli.StatusForLogger(logger)
	status.Start(fmt.Sprintf("Calibrating: %d copies of %s, %s each", runs, Scenario, cli.FormatDuration(watch)))
	observed, err := watchAll(ctx, cs, plan, runs)
	status.End(err == nil)
	if err != nil {
		return calibration.File{}, err
	}
	var tally calibration.Tally
	for _, o := range observed {
		if err := tally.Add(s, o.timeline); err != nil {
			return calibration.File{}, err
		}
		tally.AddLeads(o.leads)
	}
	source := fmt.Sprintf("probedrill calibrate: %d copies of %s", runs, Scenario)
	f := tally.File(source, time.Now())
	if missing := f.Thin(); len(missing) > 0 {
		return calibration.File{}, fmt.Errorf("calibration: too few samples of %v (a copy failed to start or was cut short); nothing was stored", missing)
	}
	return f, nil
}

// copyResult is what one copy showed: its timeline, and the probe
// workers' leads its first container's log allows (calibration.Leads).
type copyResult struct {
	timeline timeline.Timeline
	leads    []time.Duration
}

// watchAll starts the copies gap apart and returns what each observed in
// its first watch; the first error, after every copy is cleaned up.
func watchAll(ctx context.Context, cs kubernetes.Interface, plan *drill.Plan, runs int) ([]copyResult, error) {
	out := make([]copyResult, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range runs {
		if i > 0 {
			select {
			case <-time.After(gap):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			errs[i] = fmt.Errorf("calibration interrupted; nothing was stored: %w", ctx.Err())
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = watchOne(ctx, cs, plan)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// watchOne runs one copy for watch and returns what it observed; its
// namespace is deleted whatever happens. The first container's log is
// read once the second runs: it then holds every request the first got.
func watchOne(ctx context.Context, cs kubernetes.Interface, plan *drill.Plan) (copyResult, error) {
	d, err := plan.Start(ctx, cs)
	if err != nil {
		return copyResult{}, fmt.Errorf("calibration drill: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		_ = d.Cleanup(cctx)
	}()
	wctx, cancel := context.WithTimeout(ctx, watch)
	defer cancel()
	var out copyResult
	read := false
	_, _ = d.Wait(wctx, func() {
		if read {
			return
		}
		// Not yet readable (before restart 1, or the API not there yet):
		// tried again at the next change.
		if log, created, err := d.FirstLog(wctx); err == nil {
			out.leads, read = calibration.Leads(log, created, period(plan)), true
		}
	})
	if ctx.Err() != nil {
		return copyResult{}, fmt.Errorf("calibration interrupted; nothing was stored: %w", ctx.Err())
	}
	out.timeline = d.Observer().Timeline()
	return out, nil
}

// period is the calibration scenario's liveness period, its only probe.
func period(plan *drill.Plan) time.Duration {
	return time.Duration(plan.Scenario.Pod.LivenessProbe.PeriodSeconds) * time.Second
}
