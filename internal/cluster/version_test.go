package cluster

import (
	"testing"

	"github.com/probedrill/probedrill/internal/predict"
)

// The cluster runs the kubelet the model was read from.
func TestClusterRunsTheModelsKubelet(t *testing.T) {
	if KubernetesVersion != predict.KubernetesVersion {
		t.Errorf("the cluster builds Kubernetes %s, the model reads %s: update docs/kubelet-facts.md and predict.KubernetesVersion together",
			KubernetesVersion, predict.KubernetesVersion)
	}
}
