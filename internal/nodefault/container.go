package nodefault

import (
	"fmt"
	"strconv"
	"strings"
)

// Signal is a signal check sends to a container's main process.
type Signal string

// The signals of the crash fault (docs/check.md, "crash").
const (
	SIGKILL Signal = "KILL"
	SIGTERM Signal = "TERM"
)

// Ref names a running container of a pod on one node.
type Ref struct {
	Node, Namespace, Pod, Container string
}

// Signal sends sig to the main process of the running container
// ref names, from its node: crictl finds the container by the kubelet's
// labels and its PID (in the node's PID namespace), then kill(1) sends the
// signal, as a crash from outside the app would (docs/real-app-faults.md,
// "Finding the container from the node"). It returns the PID signalled.
func (x *Injector) Signal(ref Ref, sig Signal) (int, error) {
	c, err := x.running(ref)
	if err != nil {
		return 0, err
	}
	if _, err := c.output("kill", "-s", string(sig), strconv.Itoa(c.pid)); err != nil {
		return 0, fmt.Errorf("sending SIG%s to PID %d of container %s on node %s: %w", sig, c.pid, c.id, ref.Node, err)
	}
	return c.pid, nil
}

// runningContainer is a container found on its node.
type runningContainer struct {
	ref Ref
	run Runner
	id  string
	// pid is the main process's PID in the node's PID namespace.
	pid int
}

// running finds the running container ref names: crictl finds it by the
// kubelet's labels, and its main process's PID.
func (x *Injector) running(ref Ref) (runningContainer, error) {
	c := runningContainer{ref: ref, run: x.run}
	id, err := c.crictl("ps", "--state", "running", "-q",
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
	c.pid, err = c.pidOf("inspect", id)
	return c, err
}

// crictlTimeout replaces crictl's 2 s default: on a busy node containerd
// took longer to answer crictl's version handshake (make e2e, 7 checks at
// once: "validate CRI v1 runtime API … context deadline exceeded").
const crictlTimeout = "--timeout=30s"

// crictl runs crictl with args on the container's node.
func (c runningContainer) crictl(args ...string) (string, error) {
	return c.output("crictl", append([]string{crictlTimeout}, args...)...)
}

// output runs a command on the container's node.
func (c runningContainer) output(name string, args ...string) (string, error) {
	return c.run.NodeOutput(c.ref.Node, name, args...)
}

// pidOf reads a container's (inspect) or a sandbox's (inspectp) PID.
func (c runningContainer) pidOf(inspect, id string) (int, error) {
	out, err := c.crictl(inspect, "--output", "go-template", "--template", "{{.info.pid}}", id)
	if err != nil {
		return 0, fmt.Errorf("reading the PID of %s: %w", id, err)
	}
	pid, err := strconv.Atoi(out)
	if err != nil || pid <= 1 {
		return 0, fmt.Errorf("%s: crictl gave PID %q", id, out)
	}
	return pid, nil
}
