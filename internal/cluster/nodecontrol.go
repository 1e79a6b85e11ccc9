package cluster

import (
	"fmt"
	"strings"
)

// StopNode stops one node container of the probedrill cluster, as a power
// cut would: the node's kubelet goes silent and the control plane has to
// notice (node failure drills). Only this cluster's nodes can be stopped.
func (p *Provider) StopNode(name string) error {
	if err := p.ownNode(name); err != nil {
		return err
	}
	if err := p.docker("stop", "--time", "0", name).Run(); err != nil {
		return fmt.Errorf("stopping node %s: %s", name, errorText(err))
	}
	return nil
}

// StartNode starts a stopped node container again; its kubelet rejoins with
// the same name and IP.
func (p *Provider) StartNode(name string) error {
	if err := p.ownNode(name); err != nil {
		return err
	}
	cs, err := p.docker.inspect([]string{name})
	if err != nil {
		return err
	}
	return p.docker.start(stopped(cs))
}

// ownNode refuses names that are not nodes of the probedrill cluster.
func (p *Provider) ownNode(name string) error {
	ns, err := p.kind(p.logger).ListNodes(Name)
	if err != nil {
		return fmt.Errorf("listing the nodes of cluster %s: %w", Name, err)
	}
	var names []string
	for _, n := range ns {
		if n.String() == name {
			return nil
		}
		names = append(names, n.String())
	}
	return fmt.Errorf("%s is not a node of cluster %s (its nodes: %s)", name, Name, strings.Join(names, ", "))
}
