package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
)

// Provider creates, reuses and deletes the probedrill cluster.
type Provider struct {
	logger     log.Logger
	kubeconfig string // "" follows kubectl's rules ($KUBECONFIG, ~/.kube/config)
	docker     docker
	freezer    string
}

// ProviderOption configures a Provider.
type ProviderOption func(*Provider)

// WithLogger reports progress through logger (default: silent).
func WithLogger(logger log.Logger) ProviderOption {
	return func(p *Provider) { p.logger = logger }
}

// WithKubeconfig merges the cluster's context into this file instead of the
// default kubeconfig (like `kind --kubeconfig`).
func WithKubeconfig(path string) ProviderOption {
	return func(p *Provider) { p.kubeconfig = path }
}

// NewProvider returns a Provider for the docker engine on this host.
func NewProvider(opts ...ProviderOption) *Provider {
	p := &Provider{logger: log.NoopLogger{}, docker: dockerCLI, freezer: freezerRoot}
	for _, o := range opts {
		o(p)
	}
	return p
}

// kind returns kind's provider, always the docker one: probedrill's node
// image and host bootstrap are docker's.
func (p *Provider) kind(logger log.Logger) *kindcluster.Provider {
	return kindcluster.NewProvider(kindcluster.ProviderWithLogger(logger), kindcluster.ProviderWithDocker())
}

// Cluster is a running probedrill cluster.
type Cluster struct {
	Name       string
	Settings   Settings
	Kubeconfig string // the file its context was merged into; "" for the default
	rest       *rest.Config
	raw        string // the kubeconfig kind makes for it
	nodes      []nodes.Node
}

// RESTConfig returns a client config for the cluster (from the node's admin
// kubeconfig, independent of the user's kubeconfig files).
func (c *Cluster) RESTConfig() *rest.Config { return rest.CopyConfig(c.rest) }

// Clientset returns a client for the cluster.
func (c *Cluster) Clientset() (*kubernetes.Clientset, error) {
	return kubernetes.NewForConfig(c.RESTConfig())
}

// Exists reports whether node containers of the cluster exist, running or not.
func (p *Provider) Exists() (bool, error) {
	if err := p.docker.checkEngine(); err != nil {
		return false, err
	}
	ns, err := p.kind(p.logger).ListNodes(Name)
	return len(ns) > 0, err
}

// Get returns the cluster if it exists and its nodes are running. It neither
// creates, starts nor waits; use Up for that.
func (p *Provider) Get(ctx context.Context) (*Cluster, error) {
	if err := p.docker.checkEngine(); err != nil {
		return nil, err
	}
	ns, err := p.kind(p.logger).ListInternalNodes(Name)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, fmt.Errorf("cluster %s does not exist; run `probedrill up`", Name)
	}
	c, err := p.connect(ns)
	if err != nil {
		return nil, err
	}
	cs, err := c.Clientset()
	if err != nil {
		return nil, err
	}
	if c.Settings, err = ReadSettings(ctx, cs); err != nil {
		return nil, err
	}
	return c, nil
}

// connect reads the cluster's admin kubeconfig from its control-plane node.
func (p *Provider) connect(ns []nodes.Node) (*Cluster, error) {
	raw, err := p.kind(p.logger).KubeConfig(Name, false)
	if err != nil {
		return nil, fmt.Errorf("reading the cluster's kubeconfig: %w", err)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing the cluster's kubeconfig: %w", err)
	}
	return &Cluster{Name: Name, Kubeconfig: p.kubeconfig, rest: cfg, raw: raw, nodes: ns}, nil
}

// Down deletes the cluster and its kubeconfig context. Deleting a cluster
// that does not exist is not an error.
func (p *Provider) Down(ctx context.Context) error {
	if err := p.docker.checkEngine(); err != nil {
		return err
	}
	status := cli.StatusForLogger(p.logger)
	exists, err := p.Exists()
	if err != nil {
		return err
	}
	if !exists {
		p.logger.V(0).Infof("Cluster %s does not exist; nothing to delete.", Name)
		return p.kind(cli.Nested(p.logger, status)).Delete(Name, p.kubeconfig) // stale contexts
	}
	status.Start(fmt.Sprintf("Deleting cluster %s", Name))
	err = p.delete(status)
	status.End(err == nil)
	return err
}

// delete removes the node containers; if docker cannot because a frozen
// cgroup holds a container, it thaws the freezer cgroups and tries again.
func (p *Provider) delete(status *cli.Status) error {
	kind := p.kind(cli.Nested(p.logger, status))
	err := kind.Delete(Name, p.kubeconfig)
	if err == nil || !strings.Contains(errorText(err), exitEventError) {
		return err
	}
	ns, lerr := kind.ListNodes(Name)
	if lerr != nil {
		return err
	}
	cs, ierr := p.docker.inspect(nodeNames(ns))
	if ierr != nil {
		return err
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	n, terr := thaw(p.freezer, ids)
	if terr != nil {
		return fmt.Errorf("%w; thawing the node containers' frozen cgroups also failed: %v", err, terr)
	}
	status.Detail(fmt.Sprintf("thawed %d frozen cgroups", n))
	return kind.Delete(Name, p.kubeconfig)
}

func nodeNames(ns []nodes.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.String()
	}
	return out
}

// wait waits until every node is Ready, the cluster DNS answers, and every
// kubelet runs with the recorded settings.
func (c *Cluster) wait(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cs, err := c.Clientset()
	if err != nil {
		return err
	}
	if err := waitNodesReady(ctx, cs, c.Settings.Nodes, timeout); err != nil {
		return err
	}
	if err := waitDNS(ctx, c.rest, cs, timeout); err != nil {
		return err
	}
	return checkKubelets(ctx, cs, c.Settings)
}

// WaitReady waits until the cluster is ready for drills (see Up).
func (c *Cluster) WaitReady(ctx context.Context, timeout time.Duration) error {
	return c.wait(ctx, timeout)
}
