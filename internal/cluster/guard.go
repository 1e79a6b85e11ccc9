package cluster

import (
	"errors"
	"fmt"
	"net"
	"net/url"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// OptInFlag is the flag that lets the CLI and the suites use a cluster that is
// not probedrill's kind cluster.
const OptInFlag = "i-know-this-is-not-kind"

// ErrRefused marks Guard's refusals (errors.Is): a kube context that is not
// probedrill's cluster is a decision, not a connection failure, so callers
// report it before looking for a missing engine or cluster.
var ErrRefused = errors.New("kube context refused")

// refusal is a refusal's sentence; it Is ErrRefused.
type refusal string

func (r refusal) Error() string        { return string(r) }
func (r refusal) Is(target error) bool { return target == ErrRefused }

func refuse(format string, args ...any) error { return refusal(fmt.Sprintf(format, args...)) }

// Guard refuses any kube context but probedrill's own kind cluster: the
// context must be named kind-probedrill and its server must be on 127.0.0.1,
// unless optIn is set. kubeconfig "" follows kubectl's rules ($KUBECONFIG,
// then ~/.kube/config); context "" means the current context.
func Guard(kubeconfig, context string, optIn bool) error {
	_, err := RESTConfig(kubeconfig, context, optIn)
	return err
}

// RESTConfig returns the client config for a kube context that Guard accepts.
func RESTConfig(kubeconfig, context string, optIn bool) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = kubeconfig
	loader := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context})
	raw, err := loader.RawConfig()
	if err != nil {
		return nil, fmt.Errorf("reading kubeconfig: %w", err)
	}
	if !optIn {
		if err := checkContext(raw, context); err != nil {
			return nil, err
		}
	}
	cfg, err := loader.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kube context %q: %w; run `probedrill up` to create the cluster", contextName(raw, context), err)
	}
	return cfg, nil
}

func contextName(raw clientcmdapi.Config, context string) string {
	if context != "" {
		return context
	}
	return raw.CurrentContext
}

func checkContext(raw clientcmdapi.Config, context string) error {
	name := contextName(raw, context)
	hint := fmt.Sprintf("run `probedrill up` to create probedrill's cluster (context %s), or pass --%s to use another cluster at your own risk", Context, OptInFlag)
	if name == "" {
		return refuse("no kube context is selected; %s", hint)
	}
	if name != Context {
		return refuse("refusing kube context %q: probedrill only drives its own kind cluster; %s", name, hint)
	}
	kctx, ok := raw.Contexts[name]
	if !ok {
		return refuse("kube context %q is not in the kubeconfig; %s", name, hint)
	}
	cl, ok := raw.Clusters[kctx.Cluster]
	if !ok {
		return refuse("kube context %q names cluster %q, which is not in the kubeconfig; %s", name, kctx.Cluster, hint)
	}
	if !isLoopback(cl.Server) {
		return refuse("refusing kube context %q: its server %s is not on 127.0.0.1, so it is not probedrill's kind cluster; %s", name, cl.Server, hint)
	}
	return nil
}

// isLoopback reports whether server is https://127.0.0.1:PORT, where kind
// publishes the API server (networking.apiServerAddress).
func isLoopback(server string) bool {
	u, err := url.Parse(server)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.Equal(net.IPv4(127, 0, 0, 1))
}
