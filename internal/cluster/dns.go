package cluster

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	//lint:ignore SA1019 client-go v0.37.2's spdy and portforward still take this package's Dialer
	"k8s.io/apimachinery/pkg/util/httpstream"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
)

// dnsQueryTimeout bounds one query to one coredns pod.
const dnsQueryTimeout = 5 * time.Second

// waitDNS waits until every coredns pod behind the kube-dns Service answers
// a real DNS query for kubernetes.default with the Service's ClusterIP. The
// query goes over TCP through a port-forward to the pod (the node image has
// no DNS tools and the faultyapp image is FROM scratch, so no pod can ask).
// It checks coredns itself and its endpoints; the Service IP path through
// kube-proxy is exercised by the suites' pods.
func waitDNS(ctx context.Context, cfg *rest.Config, cs kubernetes.Interface, timeout time.Duration) error {
	var last string
	err := wait.PollUntilContextTimeout(ctx, pollInterval, timeout, true, func(ctx context.Context) (bool, error) {
		last = dnsProblem(ctx, cfg, cs)
		return last == "", nil
	})
	if err != nil {
		return fmt.Errorf("cluster DNS not answering after %v: %s", timeout, last)
	}
	return nil
}

// dnsProblem returns "" when DNS answers correctly, else what is wrong.
func dnsProblem(ctx context.Context, cfg *rest.Config, cs kubernetes.Interface) string {
	svc, err := cs.CoreV1().Services(metav1.NamespaceDefault).Get(ctx, "kubernetes", metav1.GetOptions{})
	if err != nil {
		return err.Error()
	}
	pods, why, err := readyDNSPods(ctx, cs)
	if err != nil || why != "" {
		return fmt.Sprint(why, err)
	}
	for _, pod := range pods {
		addrs, err := queryPod(ctx, cfg, dnsNamespace, pod, dnsProbeName)
		if err != nil {
			return fmt.Sprintf("coredns pod %s: %v", pod, err)
		}
		if !slices.Contains(addrs, svc.Spec.ClusterIP) {
			return fmt.Sprintf("coredns pod %s answered %s = %v, want %s", pod, dnsProbeName, addrs, svc.Spec.ClusterIP)
		}
	}
	return ""
}

// queryPod resolves name with the DNS server of one pod, over TCP port 53
// forwarded to a local port.
func queryPod(ctx context.Context, cfg *rest.Config, namespace, pod, name string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, dnsQueryTimeout)
	defer cancel()
	addr, err := forward(ctx, cfg, namespace, pod, 53)
	if err != nil {
		return nil, err
	}
	return lookupA(ctx, addr, name)
}

// forward port-forwards a local port on 127.0.0.1 to the pod's port until
// ctx ends, the way kubectl port-forward does (websocket first, then SPDY;
// k8s.io/kubectl/pkg/cmd/portforward, v0.37.2), and returns the local address.
func forward(ctx context.Context, cfg *rest.Config, namespace, pod string, port int) (string, error) {
	dialer, err := portForwardDialer(cfg, namespace, pod)
	if err != nil {
		return "", err
	}
	ready := make(chan struct{})
	fw, err := portforward.NewOnAddressesWithContext(ctx, dialer, []string{"127.0.0.1"},
		[]string{"0:" + strconv.Itoa(port)}, ready, io.Discard, io.Discard)
	if err != nil {
		return "", err
	}
	errc := make(chan error, 1)
	go func() { errc <- fw.ForwardPorts() }()
	select {
	case <-ready:
	case err := <-errc:
		return "", fmt.Errorf("port-forward: %w", err)
	case <-ctx.Done():
		return "", ctx.Err()
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) != 1 {
		return "", fmt.Errorf("port-forward: no local port (%v)", err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(int(ports[0].Local))), nil
}

func portForwardDialer(cfg *rest.Config, namespace, pod string) (httpstream.Dialer, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	u := cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(namespace).Name(pod).SubResource("portforward").URL()
	transport, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		return nil, err
	}
	spdyDialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)
	tunnel, err := portforward.NewSPDYOverWebsocketDialer(u, cfg)
	if err != nil {
		return nil, err
	}
	return portforward.NewFallbackDialer(tunnel, spdyDialer, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	}), nil
}
