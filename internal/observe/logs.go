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
	return logs(ctx, cs, namespace, pod, container, true)
}

// CurrentLogs returns what `kubectl logs` shows: the log of the container
// instance running now (or the last, if none runs).
func CurrentLogs(ctx context.Context, cs kubernetes.Interface, namespace, pod, container string) (string, error) {
	return logs(ctx, cs, namespace, pod, container, false)
}

func logs(ctx context.Context, cs kubernetes.Interface, namespace, pod, container string, previous bool) (string, error) {
	opts := &corev1.PodLogOptions{Container: container, Previous: previous}
	raw, err := cs.CoreV1().Pods(namespace).GetLogs(pod, opts).DoRaw(ctx)
	if err != nil {
		which := "logs"
		if previous {
			which = "previous logs"
		}
		return "", fmt.Errorf("%s of container %s in pod %s/%s: %w", which, container, namespace, pod, err)
	}
	return string(raw), nil
}
