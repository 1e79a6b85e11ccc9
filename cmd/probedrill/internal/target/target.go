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

	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/predict"
)

// Flags select the cluster.
type Flags struct {
	Kubeconfig string
	Context    string
	OptIn      bool
}

// AddFlags registers --kubeconfig, --context and the opt-in flag.
func (f *Flags) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.Kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
	fs.StringVar(&f.Context, "context", "", "kube context (default: the current one, which must be "+cluster.Context+")")
	fs.BoolVar(&f.OptIn, cluster.OptInFlag, false, "allow a cluster that is not probedrill's kind cluster (drills create and delete namespaces there)")
}

// Target is a connected cluster and what the predictor needs to know of it.
type Target struct {
	Clientset kubernetes.Interface
	// Config is the connection Clientset uses (exec into a pod needs it).
	Config  *rest.Config
	Kubelet predict.Kubelet
	// Note is a one-line caveat to show the user ("" for probedrill's cluster).
	Note string
	// Probedrill is set on probedrill's own kind cluster, whose nodes
	// check can load images into.
	Probedrill bool
}

// Connect returns the selected cluster after the guard accepted it. On
// probedrill's cluster the kubelet settings recorded by `up` feed the
// predictor; elsewhere the kubelet's defaults are assumed, and Note says so.
func (f Flags) Connect(ctx context.Context) (*Target, error) {
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
		return &Target{Clientset: cs, Config: cfg, Kubelet: predict.Kubelet{MaxContainerRestartPeriod: settings.MaxContainerRestartPeriod}, Probedrill: true}, nil
	}
	if !f.OptIn {
		return nil, fmt.Errorf("%w; is the cluster up? run `probedrill up`", err)
	}
	return &Target{
		Clientset: cs,
		Config:    cfg,
		Kubelet:   predict.DefaultKubelet(),
		Note:      fmt.Sprintf("%s is not a probedrill cluster: predictions assume the kubelet's defaults (back-off cap 300s)", cfg.Host),
	}, nil
}
