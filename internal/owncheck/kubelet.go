package owncheck

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Kubelet is what one node's kubelet says about itself: its version
// (node status) and its running configuration (/configz through the
// nodes/proxy subresource), the facts the crash model needs
// (docs/check.md, "Kubelet facts").
type Kubelet struct {
	Node    string `json:"node"`
	Version string `json:"version"`
	// MaxRestartPeriod is crashLoopBackOff.maxContainerRestartPeriod (0:
	// not set, the default 300 s).
	MaxRestartPeriod time.Duration   `json:"-"`
	SyncFrequency    time.Duration   `json:"-"`
	FeatureGates     map[string]bool `json:"featureGates,omitempty"`
	// Err says why /configz could not be read ("": it was).
	Err string `json:"error,omitempty"`
}

// ModelVersion is the kubelet minor version the model is written from.
const ModelVersion = "v1.37"

// Known reports whether the model knows this kubelet's version.
func (k Kubelet) Known() bool { return strings.HasPrefix(k.Version, ModelVersion+".") }

// Back-off bounds of kubelet v1.37 (pkg/kubelet/kubelet.go
// newCrashLoopBackOff): 10 s doubling to 300 s; 1 s to 60 s with
// ReduceDefaultCrashLoopBackOffDecay (alpha, off by default); a
// maxContainerRestartPeriod replaces the cap, and the initial delay when
// it is shorter (KubeletCrashLoopBackOffMax, beta, on by default).
const (
	initialBackOff        = 10 * time.Second
	maxBackOff            = 300 * time.Second
	reducedInitialBackOff = time.Second
	reducedMaxBackOff     = 60 * time.Second
)

// BackOff returns the initial crash-loop back-off and its cap.
func (k Kubelet) BackOff() (initial, maxDelay time.Duration) {
	initial, maxDelay = initialBackOff, maxBackOff
	if k.FeatureGates["ReduceDefaultCrashLoopBackOffDecay"] {
		initial, maxDelay = reducedInitialBackOff, reducedMaxBackOff
	}
	if on, set := k.FeatureGates["KubeletCrashLoopBackOffMax"]; (on || !set) && k.MaxRestartPeriod > 0 {
		maxDelay = k.MaxRestartPeriod
		initial = min(initial, maxDelay)
	}
	return initial, maxDelay
}

// String is one line for the report's header.
func (k Kubelet) String() string {
	if k.Err != "" {
		return fmt.Sprintf("%s %s: configuration unreadable (%s); the model assumes the defaults", k.Node, k.Version, k.Err)
	}
	initial, maxDelay := k.BackOff()
	s := fmt.Sprintf("%s %s: crash-loop back-off %s doubling to %s, sync every %s", k.Node, k.Version, initial, maxDelay, k.SyncFrequency)
	if len(k.FeatureGates) > 0 {
		var gates []string
		for _, g := range slices.Sorted(maps.Keys(k.FeatureGates)) {
			gates = append(gates, fmt.Sprintf("%s=%t", g, k.FeatureGates[g]))
		}
		s += ", gates " + strings.Join(gates, ",")
	}
	if !k.Known() {
		s += fmt.Sprintf("; WARNING: the model is written from kubelet %s, this one's numbers are a guess", ModelVersion)
	}
	return s
}

// ReadKubelets reads every node's kubelet facts. A node whose /configz
// cannot be read (no nodes/proxy permission on another cluster) keeps its
// version and says why.
func ReadKubelets(ctx context.Context, cs kubernetes.Interface) ([]Kubelet, error) {
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing nodes: %w", err)
	}
	var out []Kubelet
	for _, n := range nodes.Items {
		k := Kubelet{Node: n.Name, Version: n.Status.NodeInfo.KubeletVersion}
		raw, err := cs.CoreV1().RESTClient().Get().AbsPath("/api/v1/nodes", n.Name, "proxy", "configz").DoRaw(ctx)
		if err == nil {
			err = k.parseConfigz(raw)
		}
		if err != nil {
			k.Err = err.Error()
		}
		out = append(out, k)
	}
	return out, nil
}

// parseConfigz reads the fields the model uses from /configz.
func (k *Kubelet) parseConfigz(raw []byte) error {
	var c struct {
		Config struct {
			SyncFrequency    metav1.Duration `json:"syncFrequency"`
			CrashLoopBackOff struct {
				MaxContainerRestartPeriod *metav1.Duration `json:"maxContainerRestartPeriod"`
			} `json:"crashLoopBackOff"`
			FeatureGates map[string]bool `json:"featureGates"`
		} `json:"kubeletconfig"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("decoding /configz: %w", err)
	}
	k.SyncFrequency, k.FeatureGates = c.Config.SyncFrequency.Duration, c.Config.FeatureGates
	if p := c.Config.CrashLoopBackOff.MaxContainerRestartPeriod; p != nil {
		k.MaxRestartPeriod = p.Duration
	}
	return nil
}
