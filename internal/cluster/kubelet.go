package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// kubeletConfigz is the part of a kubelet's /configz we check: the live
// configuration, the truth about what the kubelet does.
type kubeletConfigz struct {
	KubeletConfig struct {
		CrashLoopBackOff struct {
			MaxContainerRestartPeriod string `json:"maxContainerRestartPeriod"`
		} `json:"crashLoopBackOff"`
	} `json:"kubeletconfig"`
}

// maxRestartPeriod reads the effective back-off cap from a /configz body; an
// unset field means the kubelet's default.
func maxRestartPeriod(body []byte) (time.Duration, error) {
	var z kubeletConfigz
	if err := json.Unmarshal(body, &z); err != nil {
		return 0, fmt.Errorf("decoding /configz: %w", err)
	}
	v := z.KubeletConfig.CrashLoopBackOff.MaxContainerRestartPeriod
	if v == "" {
		return DefaultMaxContainerRestartPeriod, nil
	}
	return time.ParseDuration(v)
}

// checkKubelets verifies, through the API server's node proxy, that every
// kubelet runs with the recorded back-off cap: the predictor relies on it.
func checkKubelets(ctx context.Context, cs kubernetes.Interface, s Settings) error {
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for _, n := range nodes.Items {
		body, err := cs.CoreV1().RESTClient().Get().Resource("nodes").Name(n.Name).
			SubResource("proxy").Suffix("configz").DoRaw(ctx)
		if err != nil {
			return fmt.Errorf("reading the kubelet configuration of node %s: %w", n.Name, err)
		}
		got, err := maxRestartPeriod(body)
		if err != nil {
			return fmt.Errorf("node %s: %w", n.Name, err)
		}
		if got != s.MaxContainerRestartPeriod {
			return fmt.Errorf("the kubelet on node %s caps the crash-loop back-off at %s, but the cluster was made with %s",
				n.Name, FormatDuration(got), FormatDuration(s.MaxContainerRestartPeriod))
		}
	}
	return nil
}
