package cluster

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"
)

func TestKindConfigSingle(t *testing.T) {
	cfg, err := newConfig().kindConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "probedrill" || len(cfg.Nodes) != 1 || cfg.Nodes[0].Role != v1alpha4.ControlPlaneRole {
		t.Errorf("want one control-plane node named probedrill, got %+v", cfg)
	}
	if cfg.Nodes[0].Image != "probedrill/node:v1.37.2" {
		t.Errorf("node image %q", cfg.Nodes[0].Image)
	}
	if cfg.Networking.APIServerAddress != "127.0.0.1" || cfg.Networking.PodSubnet != "10.244.0.0/16" {
		t.Errorf("networking %+v", cfg.Networking)
	}
	want := []string{
		"apiVersion: kubelet.config.k8s.io/v1beta1\nfailCgroupV1: false\nkind: KubeletConfiguration\n",
		"apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\ntimeouts:\n  kubernetesAPICall: 180s\n",
		"apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ntimeouts:\n  kubernetesAPICall: 180s\n",
	}
	if diff := cmp.Diff(want, cfg.KubeadmConfigPatches); diff != "" {
		t.Errorf("patches (-want +got):\n%s", diff)
	}
}

func TestKindConfigMultiWithBackOffCap(t *testing.T) {
	cfg, err := newConfig(WithProfile(Multi), WithMaxRestartPeriod(30*time.Second)).kindConfig()
	if err != nil {
		t.Fatal(err)
	}
	var roles []v1alpha4.NodeRole
	for _, n := range cfg.Nodes {
		roles = append(roles, n.Role)
		if n.Image != NodeImage {
			t.Errorf("node %s has image %q", n.Role, n.Image)
		}
	}
	if diff := cmp.Diff([]v1alpha4.NodeRole{"control-plane", "worker", "worker"}, roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	if len(cfg.KubeadmConfigPatches) != 4 {
		t.Fatalf("want kubelet, init, join and cluster patches, got %q", cfg.KubeadmConfigPatches)
	}

	var kubelet map[string]any
	mustUnmarshal(t, cfg.KubeadmConfigPatches[0], &kubelet)
	wantKubelet := map[string]any{
		"apiVersion":       "kubelet.config.k8s.io/v1beta1",
		"kind":             "KubeletConfiguration",
		"failCgroupV1":     false,
		"crashLoopBackOff": map[string]any{"maxContainerRestartPeriod": "30s"},
	}
	if diff := cmp.Diff(wantKubelet, kubelet); diff != "" {
		t.Errorf("kubelet patch (-want +got):\n%s", diff)
	}

	var cluster map[string]any
	mustUnmarshal(t, cfg.KubeadmConfigPatches[3], &cluster)
	args := func(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }
	wantCluster := map[string]any{
		"apiVersion": "kubeadm.k8s.io/v1beta4",
		"kind":       "ClusterConfiguration",
		"apiServer": map[string]any{"extraArgs": []any{
			args("runtime-config", ""),
			args("default-not-ready-toleration-seconds", "10"),
			args("default-unreachable-toleration-seconds", "10"),
		}},
		"controllerManager": map[string]any{"extraArgs": []any{
			args("enable-hostpath-provisioner", "true"),
			args("node-monitor-grace-period", "20s"),
		}},
	}
	if diff := cmp.Diff(wantCluster, cluster); diff != "" {
		t.Errorf("cluster patch (-want +got):\n%s", diff)
	}
}

func TestKindConfigRoundTripsThroughYAML(t *testing.T) {
	cfg, err := newConfig(WithProfile(Multi)).kindConfig()
	if err != nil {
		t.Fatal(err)
	}
	b, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var back v1alpha4.Cluster
	if err := yaml.UnmarshalStrict(b, &back); err != nil {
		t.Fatalf("kind config does not decode strictly: %v\n%s", err, b)
	}
	if diff := cmp.Diff(*cfg, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
}
