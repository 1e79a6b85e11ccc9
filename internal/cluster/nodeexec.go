package cluster

import (
	"bytes"
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
)

// NodeOutput runs a command on a node of probedrill's cluster (kind's node
// exec) and returns its trimmed stdout: a nodefault.Runner.
func (p *Provider) NodeOutput(node, name string, args ...string) (string, error) {
	n, err := p.node(node)
	if err != nil {
		return "", err
	}
	return nodeOutput(n, name, args...)
}

// node returns the cluster's node called name.
func (p *Provider) node(name string) (nodes.Node, error) {
	ns, err := p.kind(p.logger).ListInternalNodes(Name)
	if err != nil {
		return nil, fmt.Errorf("listing the nodes of cluster %s: %w", Name, err)
	}
	for _, n := range ns {
		if n.String() == name {
			return n, nil
		}
	}
	return nil, fmt.Errorf("node %s is not a node of cluster %s (have %s)", name, Name, strings.Join(nodeNames(ns), ", "))
}

// nodeOutput runs a command on a node and returns its trimmed stdout.
func nodeOutput(n nodes.Node, name string, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := n.Command(name, args...)
	cmd.SetStdout(&out)
	cmd.SetStderr(&errOut)
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(errOut.String()))
	}
	return strings.TrimSpace(out.String()), nil
}
