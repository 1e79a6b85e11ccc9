package cluster

import (
	"context"
	"fmt"
	"strings"

	"github.com/probedrill/probedrill/internal/cli"
)

// reuse brings an existing cluster back into service and checks that it is
// the cluster the caller asked for. Node containers stop when the Docker
// engine dies (no live-restore on this host); they are started again here,
// control plane first. Docker may also have restarted them itself (kind runs
// nodes with --restart=on-failure:1), so the nodes are always waited for.
func (p *Provider) reuse(ctx context.Context, c *config, names []string, status *cli.Status) (*Cluster, error) {
	all, err := p.docker.inspect(names)
	if err != nil {
		return nil, err
	}
	if down := stopped(all); len(down) > 0 {
		status.Start(fmt.Sprintf("Starting %d stopped node container(s): %s", len(down), strings.Join(containerNames(down), ", ")))
		if err := p.docker.start(down); err != nil {
			return nil, broken(err)
		}
		status.Detail("waiting for the nodes to be Ready again")
		if _, err := p.connectReady(ctx, len(all)); err != nil {
			return nil, broken(err)
		}
	}
	status.Start(fmt.Sprintf("Reusing cluster %s", Name))
	cl, err := p.connectReady(ctx, len(all))
	if err != nil {
		return nil, broken(err)
	}
	// The API server's host port may change when its container restarts,
	// and the user may have removed the context: write it again.
	if err := p.kind(p.logger).ExportKubeConfig(Name, p.kubeconfig, false); err != nil {
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
	if diffs := c.conflicts(cl.Settings); len(diffs) > 0 {
		return nil, fmt.Errorf("cluster %s exists but its %s; to replace it run: probedrill up --recreate with the options you want",
			Name, strings.Join(diffs, "; its "))
	}
	return cl, nil
}

// connectReady connects to the cluster and waits until want nodes are Ready.
func (p *Provider) connectReady(ctx context.Context, want int) (*Cluster, error) {
	ns, err := p.kind(p.logger).ListInternalNodes(Name)
	if err != nil {
		return nil, err
	}
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
