package cluster

import (
	"fmt"
	"strconv"
	"time"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"
)

// kindConfig is the kind cluster config for c: the offline node image on
// every node, and the kubeadm patches that carry the settings.
func (c *config) kindConfig() (*v1alpha4.Cluster, error) {
	s := c.settings()
	patches, err := kubeadmPatches(s)
	if err != nil {
		return nil, err
	}
	cfg := &v1alpha4.Cluster{
		TypeMeta: v1alpha4.TypeMeta{Kind: "Cluster", APIVersion: "kind.x-k8s.io/v1alpha4"},
		Name:     Name,
		Nodes:    []v1alpha4.Node{{Role: v1alpha4.ControlPlaneRole, Image: c.nodeImage}},
		Networking: v1alpha4.Networking{
			// Guard accepts only a kind-probedrill context served on 127.0.0.1.
			APIServerAddress: "127.0.0.1",
			PodSubnet:        PodSubnet,
		},
		KubeadmConfigPatches: patches,
	}
	for range s.Nodes - 1 {
		cfg.Nodes = append(cfg.Nodes, v1alpha4.Node{Role: v1alpha4.WorkerRole, Image: c.nodeImage})
	}
	return cfg, nil
}

// kubeadmPatches are kind merge patches on the kubeadm config kind generates
// (pkg/cluster/internal/kubeadm/config.go, ConfigTemplateBetaV4).
func kubeadmPatches(s Settings) ([]string, error) {
	patches := []any{kubeletPatch(s), timeoutsPatch("InitConfiguration"), timeoutsPatch("JoinConfiguration")}
	if s.FastNodeFailure {
		patches = append(patches, clusterPatch(s))
	}
	out := make([]string, len(patches))
	for i, p := range patches {
		b, err := yaml.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("rendering kubeadm patch: %w", err)
		}
		out[i] = string(b)
	}
	return out, nil
}

// kubeletConfigPatch mirrors the fields we set of KubeletConfiguration
// (k8s.io/kubelet/config/v1beta1/types.go, v0.37.2).
type kubeletConfigPatch struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	// The node image runs on cgroup v1 hosts, which the v1.37 kubelet refuses
	// unless told otherwise.
	FailCgroupV1     bool                   `json:"failCgroupV1"`
	CrashLoopBackOff *crashLoopBackOffPatch `json:"crashLoopBackOff,omitempty"`
}

type crashLoopBackOffPatch struct {
	MaxContainerRestartPeriod string `json:"maxContainerRestartPeriod"`
}

func kubeletPatch(s Settings) kubeletConfigPatch {
	p := kubeletConfigPatch{
		APIVersion: "kubelet.config.k8s.io/v1beta1",
		Kind:       "KubeletConfiguration",
	}
	if s.MaxContainerRestartPeriod != DefaultMaxContainerRestartPeriod {
		p.CrashLoopBackOff = &crashLoopBackOffPatch{MaxContainerRestartPeriod: FormatDuration(s.MaxContainerRestartPeriod)}
	}
	return p
}

// clusterConfigPatch mirrors the fields we set of kubeadm's v1beta4
// ClusterConfiguration, where extraArgs is a list of name/value pairs.
type clusterConfigPatch struct {
	APIVersion        string    `json:"apiVersion"`
	Kind              string    `json:"kind"`
	APIServer         component `json:"apiServer"`
	ControllerManager component `json:"controllerManager"`
}

type component struct {
	ExtraArgs []arg `json:"extraArgs"`
}

type arg struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// clusterPatch shortens node-failure detection. A merge patch on a list
// replaces the whole list, so it repeats the entries kind's template writes
// (runtime-config; enable-hostpath-provisioner). kind v0.33.0 happens to merge
// extraArgs by name (pkg/internal/patch/kubeadm_merge.go), but repeating them
// is right under either rule.
func clusterPatch(s Settings) clusterConfigPatch {
	return clusterConfigPatch{
		APIVersion: "kubeadm.k8s.io/v1beta4",
		Kind:       "ClusterConfiguration",
		APIServer: component{ExtraArgs: []arg{
			{"runtime-config", ""},
			{"default-not-ready-toleration-seconds", strconv.FormatInt(s.NotReadyTolerationSeconds, 10)},
			{"default-unreachable-toleration-seconds", strconv.FormatInt(s.UnreachableTolerationSeconds, 10)},
		}},
		ControllerManager: component{ExtraArgs: []arg{
			{"enable-hostpath-provisioner", "true"},
			{"node-monitor-grace-period", FormatDuration(s.NodeMonitorGracePeriod)},
		}},
	}
}

// kubeadmAPICallTimeout replaces kubeadm's 1 minute for one API call
// (cmd/kubeadm/app/constants/constants.go KubernetesAPICallTimeout, v1.37.2).
// On a busy 2-core machine the fresh API server can take longer to answer;
// kubeadm init then fails with "could not bootstrap the admin user ... rate:
// Wait(n=1) would exceed context deadline" (seen here under a load of 90).
const kubeadmAPICallTimeout = 3 * time.Minute

// timeoutsPatch sets kubeadm v1beta4's timeouts.kubernetesAPICall on an
// Init- or JoinConfiguration.
type kubeadmTimeoutsPatch struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Timeouts   struct {
		KubernetesAPICall string `json:"kubernetesAPICall"`
	} `json:"timeouts"`
}

func timeoutsPatch(kind string) kubeadmTimeoutsPatch {
	p := kubeadmTimeoutsPatch{APIVersion: "kubeadm.k8s.io/v1beta4", Kind: kind}
	p.Timeouts.KubernetesAPICall = FormatDuration(kubeadmAPICallTimeout)
	return p
}
