package nodefault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/streaming/pkg/httpstream"
)

// PodRunner runs node commands in a privileged injector pod on each node
// (hostPID): `nsenter -t 1 -m -u -i -n -p` enters the node's own
// namespaces, so the node's crictl, kill, iptables and /sys do the work,
// as kind's node exec does on probedrill's cluster. It is created only on
// the user's opt-in, in a namespace the user names, one pod per node on
// first use; Close deletes them (docs/check.md, "Another cluster").
type PodRunner struct {
	cs        kubernetes.Interface
	cfg       *rest.Config
	namespace string
	image     string
	pull      corev1.PullPolicy
	labels    map[string]string

	mu   sync.Mutex
	pods map[string]string // node → pod
}

// NewPodRunner returns a runner whose pods run image (pull policy pull)
// in namespace, labelled labels.
func NewPodRunner(cs kubernetes.Interface, cfg *rest.Config, namespace, image string, pull corev1.PullPolicy, labels map[string]string) *PodRunner {
	return &PodRunner{cs: cs, cfg: cfg, namespace: namespace, image: image, pull: pull, labels: labels, pods: map[string]string{}}
}

// DefaultImage is the injector pod's image: Debian's busybox-static, whose
// nsenter enters the node's namespaces (images/apps/build.sh).
const DefaultImage = "probedrill/injector:bookworm"

// Injector pod bounds.
const (
	podStartLimit = 2 * time.Minute
	commandLimit  = 30 * time.Second
)

// PreflightError: the namespace cannot hold the injector pod (it does not
// exist, or its Pod Security level or another admission refuses a
// privileged pod). Nothing was created.
type PreflightError struct {
	Namespace string
	Err       error
}

func (e *PreflightError) Error() string {
	return fmt.Sprintf("the injector pod cannot run in namespace %s: %v; name a namespace whose Pod Security level allows "+
		"privileged pods (label pod-security.kubernetes.io/enforce=privileged), or leave --injector-namespace out "+
		"(on a cluster other than probedrill's the faults that need the nodes are then skipped)", e.Namespace, e.Err)
}

func (e *PreflightError) Unwrap() error { return e.Err }

// Preflight creates the injector pod with dryRun=All: every admission
// (Pod Security first) judges it, and nothing is created.
func (r *PodRunner) Preflight(ctx context.Context) error {
	_, err := r.cs.CoreV1().Pods(r.namespace).Create(ctx, r.spec(""), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	if err != nil {
		return &PreflightError{Namespace: r.namespace, Err: err}
	}
	return nil
}

// spec is the injector pod for node ("" for the dry run).
func (r *PodRunner) spec(node string) *corev1.Pod {
	privileged, no := true, false
	zero := int64(0)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "probedrill-injector-", Labels: r.labels},
		Spec: corev1.PodSpec{
			NodeName:                      node,
			HostPID:                       true,
			RestartPolicy:                 corev1.RestartPolicyNever,
			TerminationGracePeriodSeconds: &zero,
			AutomountServiceAccountToken:  &no,
			// it must reach every node the checked pod may land on
			Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
			Containers: []corev1.Container{{
				Name: "injector", Image: r.image, ImagePullPolicy: r.pull,
				SecurityContext: &corev1.SecurityContext{Privileged: &privileged},
			}},
		},
	}
}

// NodeOutput runs name with args in the node's namespaces through the
// node's injector pod, made on first use.
func (r *PodRunner) NodeOutput(node, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), podStartLimit+commandLimit)
	defer cancel()
	pod, err := r.pod(ctx, node)
	if err != nil {
		return "", err
	}
	cmd := append([]string{"nsenter", "-t", "1", "-m", "-u", "-i", "-n", "-p", "--", name}, args...)
	cctx, ccancel := context.WithTimeout(ctx, commandLimit)
	defer ccancel()
	out, err := r.exec(cctx, pod, cmd)
	if err != nil {
		return "", fmt.Errorf("%s on node %s (injector pod %s/%s): %w", name, node, r.namespace, pod, err)
	}
	return out, nil
}

// pod returns node's injector pod, creating it and waiting until it runs.
func (r *PodRunner) pod(ctx context.Context, node string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.pods[node]; ok {
		return p, nil
	}
	got, err := r.cs.CoreV1().Pods(r.namespace).Create(ctx, r.spec(node), metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("creating the injector pod on node %s in namespace %s: %w", node, r.namespace, err)
	}
	r.pods[node] = got.Name
	var why string
	err = wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, podStartLimit, true, func(ctx context.Context) (bool, error) {
		p, err := r.cs.CoreV1().Pods(r.namespace).Get(ctx, got.Name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		for _, st := range p.Status.ContainerStatuses {
			if w := st.State.Waiting; w != nil {
				why = w.Reason + ": " + w.Message
			}
		}
		return p.Status.Phase == corev1.PodRunning, nil
	})
	if err != nil {
		return "", fmt.Errorf("injector pod %s/%s on node %s did not run in %s (%s): %w", r.namespace, got.Name, node, podStartLimit, why, err)
	}
	return got.Name, nil
}

// exec runs cmd in pod's container and returns its trimmed stdout; a
// non-zero exit is an error carrying stderr.
func (r *PodRunner) exec(ctx context.Context, pod string, cmd []string) (string, error) {
	req := r.cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(r.namespace).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: "injector", Command: cmd, Stdout: true, Stderr: true}, scheme.ParameterCodec)
	ws, err := remotecommand.NewWebSocketExecutor(r.cfg, "GET", req.URL().String())
	if err != nil {
		return "", err
	}
	spdy, err := remotecommand.NewSPDYExecutor(r.cfg, "POST", req.URL())
	if err != nil {
		return "", err
	}
	ex, err := remotecommand.NewFallbackExecutor(ws, spdy, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
	if err != nil {
		return "", err
	}
	var out, errOut bytes.Buffer
	if err := ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: &out, Stderr: &errOut}); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(errOut.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// Close deletes the injector pods and waits until they are gone; ctx may
// have ended (Ctrl-C): the deletion does not depend on it.
func (r *PodRunner) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	pods := r.cs.CoreV1().Pods(r.namespace)
	for node, name := range r.pods {
		if err := pods.Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting injector pod %s/%s on node %s: %w", r.namespace, name, node, err))
			continue
		}
		err := wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
			_, err := pods.Get(ctx, name, metav1.GetOptions{})
			return apierrors.IsNotFound(err), nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("injector pod %s/%s is still there: %w", r.namespace, name, err))
		}
		delete(r.pods, node)
	}
	return errors.Join(errs...)
}
