package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"
)

// errNoPodSubnet: kubeadm's configuration names no IPv4 pod range.
var errNoPodSubnet = errors.New("kubeadm ClusterConfiguration has no IPv4 podSubnet")

// cluster reads what the pod network depends on from the API server.
type cluster struct {
	client corev1client.CoreV1Interface
}

func newCluster(kubeconfig string) (*cluster, error) {
	rc, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, err
	}
	rc.UserAgent = "probedrill-nodenet"
	client, err := corev1client.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	return &cluster{client: client}, nil
}

// nodes lists all nodes; ResourceVersion "0" is served from the API
// server's watch cache, so polling every few seconds costs little.
func (c *cluster) nodes(ctx context.Context) ([]node, error) {
	list, err := c.client.Nodes().List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		return nil, err
	}
	out := make([]node, 0, len(list.Items))
	for i := range list.Items {
		out = append(out, fromNode(&list.Items[i]))
	}
	return out, nil
}

// podSubnet reads networking.podSubnet from kube-system/kubeadm-config, which
// kubeadm lets every node read (phases/uploadconfig, k8s.io/kubernetes v1.37.2).
func (c *cluster) podSubnet(ctx context.Context) (netip.Prefix, error) {
	cm, err := c.client.ConfigMaps(metav1.NamespaceSystem).Get(ctx, "kubeadm-config", metav1.GetOptions{})
	if err != nil {
		return netip.Prefix{}, err
	}
	return parsePodSubnet(cm.Data["ClusterConfiguration"])
}

// parsePodSubnet returns the IPv4 range of a kubeadm ClusterConfiguration's
// networking.podSubnet (a comma-separated list when dual-stack).
func parsePodSubnet(clusterConfiguration string) (netip.Prefix, error) {
	var cc struct {
		Networking struct {
			PodSubnet string `json:"podSubnet"`
		} `json:"networking"`
	}
	if err := yaml.Unmarshal([]byte(clusterConfiguration), &cc); err != nil {
		return netip.Prefix{}, fmt.Errorf("%w: %w", errNoPodSubnet, err)
	}
	if v4 := firstIPv4Prefix(strings.Split(cc.Networking.PodSubnet, ",")); v4 != "" {
		return netip.ParsePrefix(v4)
	}
	return netip.Prefix{}, fmt.Errorf("%w (%q)", errNoPodSubnet, cc.Networking.PodSubnet)
}

// fromNode keeps the IPv4 podCIDR and InternalIP of a Node.
func fromNode(n *corev1.Node) node {
	cidrs := n.Spec.PodCIDRs
	if len(cidrs) == 0 && n.Spec.PodCIDR != "" {
		cidrs = []string{n.Spec.PodCIDR}
	}
	out := node{name: n.Name, podCIDR: firstIPv4Prefix(cidrs)}
	for _, a := range n.Status.Addresses {
		if ip, err := netip.ParseAddr(a.Address); a.Type == corev1.NodeInternalIP && err == nil && ip.Is4() {
			out.internalIP = ip.String()
			break
		}
	}
	return out
}

func firstIPv4Prefix(cidrs []string) string {
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(strings.TrimSpace(c)); err == nil && p.Addr().Is4() {
			return p.Masked().String()
		}
	}
	return ""
}

// answered reports whether err is the API server's own answer (an HTTP
// status such as 404 or 403) rather than a failure to reach it, or a
// ConfigMap whose content could not be parsed.
func answered(err error) bool {
	var status apierrors.APIStatus
	return errors.As(err, &status) || errors.Is(err, errNoPodSubnet)
}
