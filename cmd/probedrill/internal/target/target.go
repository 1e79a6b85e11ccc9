// Package target connects a CLI verb to the cluster it drills: probedrill's
// own kind cluster by default, another cluster only with an explicit opt-in.
// Every verb that touches a cluster uses it, so the guard is in one place.
package target

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/predict"
)

// Flags select the cluster.
type Flags struct {
	Kubeconfig string
	Context    string
	OptIn      bool
	// Calibration is --calibration: a file, envelope or default
	// (calibration.Choose); empty picks by cluster.
	Calibration string
}

// AddFlags registers --kubeconfig, --context and the opt-in flag.
func (f *Flags) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.Kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
	fs.StringVar(&f.Context, "context", "", "kube context (default: the current one, which must be "+cluster.Context+")")
	fs.BoolVar(&f.OptIn, cluster.OptInFlag, false, "allow a cluster that is not probedrill's kind cluster (drills create and delete namespaces there)")
	fs.StringVar(&f.Calibration, "calibration", "", calibration.FlagUsage)
}

// Target is a connected cluster and what the predictor needs to know of it.
type Target struct {
	Clientset kubernetes.Interface
	// Config is the connection Clientset uses (exec into a pod needs it).
	Config  *rest.Config
	Kubelet predict.Kubelet
	// Calibration is where Kubelet's latencies come from.
	Calibration calibration.Choice
	// CalibrationKey is where `probedrill calibrate` stores this cluster's
	// calibration; nil on a cluster that is not probedrill's.
	CalibrationKey *calibration.Key
	// Note is a one-line caveat to show the user ("" for probedrill's cluster).
	Note string
	// Probedrill is set on probedrill's own kind cluster, whose nodes
	// check can load images into.
	Probedrill bool
}

// Connect returns the selected cluster after the guard accepted it. On
// probedrill's cluster the kubelet settings recorded by `up` and the
// calibration stored for its node image (or the shipped default) feed the
// predictor; elsewhere the kubelet's defaults and the latency envelope are
// assumed, and Note says so.
func (f Flags) Connect(ctx context.Context) (*Target, error) {
	// A calibration the user named needs no cluster: a bad file is
	// theirs to fix whether or not the cluster is up.
	named, err := chooseCalibration(f.Calibration, nil)
	if err != nil {
		return nil, err
	}
	cfg, err := cluster.RESTConfig(f.Kubeconfig, f.Context, f.OptIn)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", cfg.Host, err)
	}
	settings, err := cluster.ReadSettings(ctx, cs)
	if err == nil {
		key := &calibration.Key{Cluster: cluster.Name, NodeImage: settings.NodeImage}
		choice := named
		if f.Calibration == "" {
			if choice, err = chooseCalibration("", key); err != nil {
				return nil, err
			}
		}
		k := choice.Kubelet(predict.Kubelet{MaxContainerRestartPeriod: settings.MaxContainerRestartPeriod})
		return &Target{Clientset: cs, Config: cfg, Kubelet: k, Calibration: choice, CalibrationKey: key, Probedrill: true}, nil
	}
	if !f.OptIn {
		return nil, fmt.Errorf("%w; is the cluster up? run `probedrill up`", err)
	}
	note := fmt.Sprintf("%s is not a probedrill cluster: predictions assume the kubelet's defaults (back-off cap 300s)", cfg.Host)
	if named.Source == calibration.Envelope {
		note += " and the widest latencies (no calibration of its nodes; --calibration FILE gives one)"
	}
	return &Target{Clientset: cs, Config: cfg, Kubelet: named.Kubelet(predict.Kubelet{}), Calibration: named, Note: note}, nil
}

// OfflineCalibration is the calibration of a prediction made without a
// cluster (predict, check --dry-run): --calibration file, or what
// probedrill's own cluster would use.
func OfflineCalibration(file string) (calibration.Choice, error) {
	return chooseCalibration(file, &calibration.Key{Cluster: cluster.Name, NodeImage: cluster.NodeImage})
}

// chooseCalibration is calibration.Choose for --calibration: its errors are
// the user's to fix (exit 2).
func chooseCalibration(file string, key *calibration.Key) (calibration.Choice, error) {
	choice, err := calibration.Choose(file, key)
	if err != nil {
		return calibration.Choice{}, cli.Usage(fmt.Errorf("--calibration: %w", err))
	}
	return choice, nil
}

// Announce tells the user, before a drill, what its predictions assume:
// Note as a warning, and where the latencies come from.
func (t *Target) Announce(logger log.Logger) {
	if t.Note != "" {
		logger.Warn(t.Note)
		return
	}
	logger.V(0).Infof("%s.", t.Calibration)
}
