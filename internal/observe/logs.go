package observe

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

// PreviousLogs returns what `kubectl logs --previous` shows: the log of the
// container instance before the current one. The kubelet keeps one dead
// instance per container by default (MaxPerPodContainerCount 1,
// cmd/kubelet/app/options/options.go, v1.37.2), so this is the instance that
// died last.
func PreviousLogs(ctx context.Context, cs kubernetes.Interface, namespace, pod, container string) (string, error) {
	opts := &corev1.PodLogOptions{Container: container, Previous: true}
	raw, err := cs.CoreV1().Pods(namespace).GetLogs(pod, opts).DoRaw(ctx)
	if err != nil {
		return "", fmt.Errorf("previous logs of container %s in pod %s/%s: %w", container, namespace, pod, err)
	}
	return string(raw), nil
}
