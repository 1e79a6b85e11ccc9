package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// pollInterval is how often the waits below look at the cluster again.
const pollInterval = time.Second

// waitNodesReady waits until want nodes exist and all are Ready.
func waitNodesReady(ctx context.Context, cs kubernetes.Interface, want int, timeout time.Duration) error {
	var last string
	err := wait.PollUntilContextTimeout(ctx, pollInterval, timeout, true, func(ctx context.Context) (bool, error) {
		list, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			last = err.Error()
			return false, nil // the API server may still be starting
		}
		last = notReady(list.Items, want)
		return last == "", nil
	})
	if err != nil {
		return fmt.Errorf("nodes not Ready after %v: %s", timeout, last)
	}
	return nil
}

// notReady describes why nodes are not all Ready, or returns "".
func notReady(nodes []corev1.Node, want int) string {
	var why []string
	if len(nodes) < want {
		why = append(why, fmt.Sprintf("%d of %d nodes registered", len(nodes), want))
	}
	for _, n := range nodes {
		c := condition(n.Status.Conditions, corev1.NodeReady)
		if c == nil || c.Status != corev1.ConditionTrue {
			why = append(why, fmt.Sprintf("node %s is NotReady (%s)", n.Name, conditionText(c)))
		}
	}
	return strings.Join(why, "; ")
}

func condition(cs []corev1.NodeCondition, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range cs {
		if cs[i].Type == t {
			return &cs[i]
		}
	}
	return nil
}

func conditionText(c *corev1.NodeCondition) string {
	if c == nil {
		return "no Ready condition yet"
	}
	if c.Message != "" {
		return c.Message
	}
	return c.Reason
}

// The cluster DNS as kubeadm installs it (cmd/kubeadm/app/phases/addons/dns).
const (
	dnsNamespace = "kube-system"
	dnsService   = "kube-dns"
	dnsAppLabel  = "k8s-app=kube-dns"
	// dnsProbeName must resolve to the ClusterIP of Service default/kubernetes.
	dnsProbeName = "kubernetes.default.svc.cluster.local."
)

// readyDNSPods returns the names of the coredns pods that back the kube-dns
// Service, or why there are none: Ready pods and ready EndpointSlice
// endpoints both, so that a query through the Service IP would find one.
func readyDNSPods(ctx context.Context, cs kubernetes.Interface) ([]string, string, error) {
	eps, err := cs.DiscoveryV1().EndpointSlices(dnsNamespace).List(ctx, metav1.ListOptions{
		LabelSelector: discoveryv1.LabelServiceName + "=" + dnsService,
	})
	if err != nil {
		return nil, "", err
	}
	pods := readyEndpointPods(eps.Items)
	if len(pods) == 0 {
		return nil, "the kube-dns Service has no ready endpoints yet", nil
	}
	return pods, "", nil
}

func readyEndpointPods(eps []discoveryv1.EndpointSlice) []string {
	var pods []string
	for _, s := range eps {
		for _, e := range s.Endpoints {
			ready := e.Conditions.Ready == nil || *e.Conditions.Ready
			if ready && e.TargetRef != nil && e.TargetRef.Kind == "Pod" && !slices.Contains(pods, e.TargetRef.Name) {
				pods = append(pods, e.TargetRef.Name)
			}
		}
	}
	slices.Sort(pods)
	return pods
}
