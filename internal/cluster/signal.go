package cluster

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
)

// Signal is a signal check sends to a container's main process.
type Signal string

// The signals of the crash fault (docs/check.md, "crash").
const (
	SIGKILL Signal = "KILL"
	SIGTERM Signal = "TERM"
)

// ContainerRef names a running container of a pod on one node.
type ContainerRef struct {
	Node, Namespace, Pod, Container string
}

// SignalContainer sends sig to the main process of the running container
// ref names, from its node: crictl finds the container by the kubelet's
// labels and its PID (in the node's PID namespace), then kill(1) sends the
// signal, as a crash from outside the app would (docs/real-app-faults.md,
// "Finding the container from the node"). It returns the PID signalled.
func (p *Provider) SignalContainer(ref ContainerRef, sig Signal) (int, error) {
	c, err := p.running(ref)
	if err != nil {
		return 0, err
	}
	if _, err := nodeOutput(c.node, "kill", "-s", string(sig), strconv.Itoa(c.pid)); err != nil {
		return 0, fmt.Errorf("sending SIG%s to PID %d of container %s on node %s: %w", sig, c.pid, c.id, ref.Node, err)
	}
	return c.pid, nil
}

// runningContainer is a container found on its node.
type runningContainer struct {
	ref  ContainerRef
	node nodes.Node
	id   string
	// pid is the main process's PID in the node's PID namespace.
	pid int
}

// running finds the running container ref names: crictl finds it by the
// kubelet's labels, and its main process's PID.
func (p *Provider) running(ref ContainerRef) (runningContainer, error) {
	c := runningContainer{ref: ref}
	n, err := p.node(ref.Node)
	if err != nil {
		return c, err
	}
	c.node = n
	id, err := nodeOutput(n, "crictl", "ps", "--state", "running", "-q",
		"--label", "io.kubernetes.pod.namespace="+ref.Namespace, "--label", "io.kubernetes.pod.name="+ref.Pod,
		"--label", "io.kubernetes.container.name="+ref.Container)
	if err != nil {
		return c, fmt.Errorf("finding container %s of pod %s/%s on node %s: %w", ref.Container, ref.Namespace, ref.Pod, ref.Node, err)
	}
	if id == "" || strings.Contains(id, "\n") {
		return c, fmt.Errorf("container %s of pod %s/%s on node %s: want one running container, crictl found %q",
			ref.Container, ref.Namespace, ref.Pod, ref.Node, id)
	}
	c.id = id
	c.pid, err = pidOf(n, "inspect", id)
	return c, err
}

// pidOf reads a container's (inspect) or a sandbox's (inspectp) PID.
func pidOf(n nodes.Node, inspect, id string) (int, error) {
	out, err := nodeOutput(n, "crictl", inspect, "--output", "go-template", "--template", "{{.info.pid}}", id)
	if err != nil {
		return 0, fmt.Errorf("reading the PID of %s: %w", id, err)
	}
	pid, err := strconv.Atoi(out)
	if err != nil || pid <= 1 {
		return 0, fmt.Errorf("%s: crictl gave PID %q", id, out)
	}
	return pid, nil
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
