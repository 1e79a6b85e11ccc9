package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/nodefault"
	"github.com/probedrill/probedrill/internal/owncheck"
	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/internal/report"
)

// ownOptions validates the flags for a check of the team's own app.
func ownOptions(c flagSet, flags *flagpole) (owncheck.Options, error) {
	o := owncheck.Options{Starts: flags.Starts}
	if c.Changed("faults") {
		own := owncheck.Faults()
		for _, f := range flags.Faults {
			if !slices.Contains(own, f) {
				return o, cli.Usage(fmt.Errorf("--faults: %q is not a fault check measures on your own app (%s); "+
					"faultyapp's faults (%s) need --stand-in", f, strings.Join(own, ", "), strings.Join(probecheck.Faults(), ", ")))
			}
		}
		o.Faults = flags.Faults
	}
	if err := faultOptions(flags, &o); err != nil {
		return o, cli.Usage(err)
	}
	if c.Changed("calibration") {
		// The own-app check measures its kills and starts; only faultyapp
		// standing in has a timeline predicted from the latencies.
		return o, cli.Usage(errors.New("--calibration sets the latencies faultyapp's predicted timeline uses; the check of your own app measures instead of predicting: add --stand-in, or drop it"))
	}
	for _, name := range standInFlags {
		if c.Changed(name) {
			return o, cli.Usage(fmt.Errorf("--%s shapes faultyapp standing in for your app: add --stand-in, or drop it to check your own app", name))
		}
	}
	return o, nil
}

// expectable are the faults --expect-restart may name: those an app
// should survive unless its team says otherwise.
var expectable = owncheck.Survivable()

// maxDuration bounds --duration: a fault held longer teaches nothing more.
const maxDuration = 10 * time.Minute

// faultOptions validates --duration, --expect-restart, --starve-to and
// --dependency.
func faultOptions(flags *flagpole, o *owncheck.Options) error {
	for _, f := range flags.Expect {
		if !slices.Contains(expectable, f) {
			return fmt.Errorf("--expect-restart: %q is not a fault an app may be expected to die of (%s)", f, strings.Join(expectable, ", "))
		}
	}
	if flags.Duration < 0 || flags.Duration > maxDuration {
		return fmt.Errorf("--duration %s: use more than 0s and at most %s", flags.Duration, maxDuration)
	}
	if flags.Starve < 1 || flags.Starve > 100 {
		return fmt.Errorf("--starve-to %d: use 1 to 100 (percent of one core)", flags.Starve)
	}
	o.ExpectRestart, o.Duration, o.StarvePercent = flags.Expect, flags.Duration, flags.Starve
	for _, s := range flags.Dependencies {
		e, err := owncheck.ParseEndpoint(s)
		if err != nil {
			return fmt.Errorf("--dependency %w", err)
		}
		o.Dependencies = append(o.Dependencies, e)
	}
	return nil
}

// ownFlags only mean something for the team's own app.
var ownFlags = []string{"starts", "duration", "expect-restart", "starve-to", "dependency", "injector-namespace", "injector-image"}

// standInFlags only mean something with --stand-in.
var standInFlags = []string{"dry-run", "after", "startup", "cost", "cpu-limit", "on-sigterm", "minutes", "image"}

// flagSet is the part of pflag.FlagSet ownOptions reads.
type flagSet interface{ Changed(name string) bool }

// runOwn checks the team's own app: bad input (exit 2) before any
// connection, then the guard, the images, and the measured starts.
func runOwn(ctx context.Context, logger log.Logger, streams cmd.IOStreams, flags *flagpole, in *probecheck.Input, o owncheck.Options) (err error) {
	status := cli.StatusForLogger(logger)
	o.Progress, o.Notice = status.Detail, status.Note
	k, err := owncheck.Prepare(in, o)
	if err != nil {
		return cli.Usage(err)
	}
	status.Start("Connecting to the cluster")
	t, err := flags.Target.Dial(ctx)
	status.End(err == nil)
	if err != nil {
		return err
	}
	server := kubeletFacts(ctx, logger, status, t.Clientset, &k.Options)
	injector, err := injectorPods(ctx, status, flags, t)
	if err != nil {
		return err
	}
	if injector != nil {
		k.Options.Node = nodeAccess{nodefault.New(injector)}
		defer func() { err = errors.Join(err, injector.Close(ctx)) }()
	}
	var loaded []string
	if t.Probedrill {
		k.Options.PullNever = true
		if injector == nil {
			k.Options.Node = nodeAccess{nodefault.New(cluster.NewProvider(cluster.WithLogger(logger)))}
		}
		if k, err = owncheck.Prepare(in, k.Options); err != nil {
			return err
		}
		images := k.Images()
		if injector != nil {
			images = append(images, flags.InjectorImage)
		}
		if loaded, err = loadImages(logger, status, images); err != nil {
			return err
		}
	}
	status.Start(fmt.Sprintf("Running %s on %s %s", strings.Join(faultsOf(k.Options), ", "), in.Kind, in.Name))
	res, err := k.Run(ctx, t.Clientset)
	status.End(err == nil)
	if err != nil {
		return ownRunError(ctx, err)
	}
	return writeOwn(streams.Out, flags, owncheck.Report{Check: k, Result: res, Loaded: loaded, Note: t.Note, Server: server,
		Nodes: nodesVia(flags, t)})
}

// injectorPods returns the injector pod runner when --injector-namespace
// opts in, after a dry run showed its namespace admits a privileged pod
// (else exit 2, nothing created); nil without the flag.
func injectorPods(ctx context.Context, status *cli.Status, flags *flagpole, t *target.Target) (*nodefault.PodRunner, error) {
	if flags.InjectorNamespace == "" {
		return nil, nil
	}
	pull := corev1.PullIfNotPresent
	if t.Probedrill {
		pull = corev1.PullNever // loaded onto the nodes with the app's images
	}
	r := nodefault.NewPodRunner(t.Clientset, t.Config, flags.InjectorNamespace, flags.InjectorImage, pull,
		map[string]string{drill.LabelDrill: "injector"})
	status.Start("Asking namespace " + flags.InjectorNamespace + " for a privileged injector pod (dry run)")
	err := r.Preflight(ctx)
	status.End(err == nil)
	if err != nil {
		return nil, cli.Usage(err)
	}
	return r, nil
}

// nodesVia words how crash and the injected faults reach the nodes.
func nodesVia(flags *flagpole, t *target.Target) string {
	switch {
	case flags.InjectorNamespace != "":
		return fmt.Sprintf("through a privileged injector pod (%s) per node in namespace %s, deleted after", flags.InjectorImage, flags.InjectorNamespace)
	case t.Probedrill:
		return "through kind's node exec"
	}
	return ""
}

// kubeletFacts reads the server's version and each kubelet's facts into
// o. Not being able to is a warning, not a failure: the model then
// assumes kubelet v1.37's defaults, and the report shows no kubelet line.
func kubeletFacts(ctx context.Context, logger log.Logger, status *cli.Status, cs kubernetes.Interface, o *owncheck.Options) string {
	status.Start("Reading the kubelets' settings (/configz)")
	ks, err := owncheck.ReadKubelets(ctx, cs)
	status.End(err == nil)
	if err != nil {
		logger.Warnf("cannot read the kubelets' settings (%v): predictions assume kubelet %s's defaults", err, owncheck.ModelVersion)
	}
	o.Kubelets = ks
	for _, k := range ks {
		if !k.Known() {
			logger.Warnf("node %s runs kubelet %s; the model is written from %s: its predictions are a guess there", k.Node, k.Version, owncheck.ModelVersion)
		}
	}
	v, err := cs.Discovery().ServerVersion()
	if err != nil {
		return ""
	}
	return v.GitVersion
}

// faultsOf lists the faults a check runs.
func faultsOf(o owncheck.Options) []string {
	if len(o.Faults) > 0 {
		return o.Faults
	}
	return owncheck.Faults()
}

// nodeAccess reaches the nodes: through kind's node exec on probedrill's
// cluster (nodefault.Runner).
type nodeAccess struct{ x *nodefault.Injector }

func ref(w owncheck.Where) nodefault.Ref {
	return nodefault.Ref{Node: w.Node, Namespace: w.Namespace, Pod: w.Pod, Container: w.Container}
}

func (n nodeAccess) Signal(w owncheck.Where, sig string) error {
	_, err := n.x.Signal(ref(w), nodefault.Signal(sig))
	return err
}

func (n nodeAccess) Freeze(w owncheck.Where) (owncheck.Injection, error) {
	return injection(n.x.Freeze(ref(w)))
}

func (n nodeAccess) SqueezeCPU(w owncheck.Where, percent int) (owncheck.Injection, error) {
	return injection(n.x.SqueezeCPU(ref(w), percent))
}

func (n nodeAccess) BlockPort(w owncheck.Where, ports []int32) (owncheck.Injection, error) {
	return injection(n.x.BlockPort(ref(w), ports))
}

func (n nodeAccess) CutEgress(w owncheck.Where, to []owncheck.Endpoint) (owncheck.Injection, error) {
	var eg []nodefault.Egress
	for _, e := range to {
		eg = append(eg, nodefault.Egress{IP: e.Host, Port: e.Port, Name: e.Name})
	}
	return injection(n.x.CutEgress(ref(w), eg))
}

func injection(in *nodefault.Injected, err error) (owncheck.Injection, error) {
	if err != nil {
		return owncheck.Injection{}, err
	}
	return owncheck.Injection{Did: in.Did, Undoes: in.Undoes, At: in.At, Undo: in.Undo}, nil
}

// loadImages puts the pod's images onto probedrill's nodes; an image that
// is nowhere is bad input (exit 2), found before anything is created.
func loadImages(logger log.Logger, status *cli.Status, images []string) ([]string, error) {
	status.Start("Putting the images on the nodes: " + strings.Join(images, ", "))
	loaded, err := cluster.NewProvider(cluster.WithLogger(logger)).LoadImages(images, status.Detail)
	status.End(err == nil)
	var missing *cluster.MissingImageError
	if errors.As(err, &missing) {
		return nil, cli.Usage(err)
	}
	return loaded, err
}

// ownRunError words an error of the run; the namespace is gone either way.
func ownRunError(ctx context.Context, err error) error {
	var stuck *owncheck.StuckError
	var undo *owncheck.UndoError
	switch {
	case errors.As(err, &undo):
		return fmt.Errorf("running the check: %w", err)
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted; every injected fault was undone and the check's namespaces deleted (%w)", err)
	case errors.As(err, &stuck):
		return cli.Usage(fmt.Errorf("%w; the check's namespace was deleted", err))
	}
	return fmt.Errorf("running the check: %w", err)
}

// writeOwn prints the report and returns its verdict as the command's error.
func writeOwn(w io.Writer, flags *flagpole, r owncheck.Report) error {
	var err error
	switch flags.output() {
	case report.FormatJSON:
		err = r.WriteJSON(w)
	case report.FormatJUnit:
		err = r.WriteJUnit(w)
	default:
		err = r.WriteText(w)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return r.Err()
}
