package cluster

import (
	"context"
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/cluster/nodes"

	"github.com/probedrill/probedrill/internal/cli"
)

// reuse brings an existing cluster back into service and checks that it is
// the cluster the caller asked for. Node containers stop when the Docker
// engine dies (no live-restore on this host); they are started again here,
// control plane first. Docker may also have restarted them itself (kind runs
// nodes with --restart=on-failure:1), so the nodes are always waited for.
func (p *Provider) reuse(ctx context.Context, c *config, ns []nodes.Node, status *cli.Status) (*Cluster, error) {
	all, err := p.docker.inspect(nodeNames(ns))
	if err != nil {
		return nil, err
	}
	down := stopped(all)
	if len(down) > 0 {
		status.Start(fmt.Sprintf("Starting %d stopped node container(s): %s", len(down), strings.Join(containerNames(down), ", ")))
		if err := p.docker.start(down); err != nil {
			return nil, broken(err)
		}
		status.Detail("waiting for the nodes to be Ready again")
	} else {
		status.Start(fmt.Sprintf("Reusing cluster %s", Name))
	}
	cl, err := p.connectReady(ctx, internal(ns, all), len(all))
	if err != nil {
		return nil, broken(err)
	}
	if len(down) > 0 {
		status.Start(fmt.Sprintf("Reusing cluster %s", Name))
	}
	// The API server's host port may change when its container restarts,
	// and the user may have removed the context: write it again.
	if err := p.exportKubeconfig(cl.raw); err != nil {
		return nil, fmt.Errorf("writing the kubeconfig: %w", err)
	}
	cs, err := cl.Clientset()
	if err != nil {
		return nil, err
	}
	if cl.Settings, err = ReadSettings(ctx, cs); err != nil {
		return nil, broken(err)
	}
	status.Retitle(fmt.Sprintf("Reusing cluster %s (%s, %s)", Name, cl.Settings.Profile, cl.Settings.KubernetesVersion))
	if diffs, flags := c.conflicts(cl.Settings); len(diffs) > 0 {
		return nil, fmt.Errorf("cluster %s exists but its %s; replace it with: probedrill up --recreate %s",
			Name, strings.Join(diffs, "; its "), strings.Join(flags, " "))
	}
	return cl, nil
}

// connectReady connects to the cluster and waits until want nodes are Ready.
func (p *Provider) connectReady(ctx context.Context, ns []nodes.Node, want int) (*Cluster, error) {
	cl, err := p.connect(ns)
	if err != nil {
		return nil, err
	}
	cs, err := cl.Clientset()
	if err != nil {
		return nil, err
	}
	return cl, waitNodesReady(ctx, cs, want, DefaultRestartTimeout)
}
