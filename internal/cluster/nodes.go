package cluster

import (
	"fmt"
	"sort"
	"strings"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/exec"
)

// kind's labels on node containers (pkg/cluster/internal/providers/docker/constants.go).
const roleLabel = "io.x-k8s.kind.role"

// container is one node container as docker sees it.
type container struct {
	Name   string
	ID     string
	Role   string // control-plane or worker
	Status string // docker's State.Status: running, exited, created, paused, ...
}

func (c container) running() bool { return c.Status == "running" }

// inspectFormat prints one tab-separated line per container.
const inspectFormat = `{{.Name}}	{{.Id}}	{{index .Config.Labels "` + roleLabel + `"}}	{{.State.Status}}`

// inspect returns the named containers, control plane first.
func (d docker) inspect(names []string) ([]container, error) {
	if len(names) == 0 {
		return nil, nil
	}
	lines, err := exec.OutputLines(d(append([]string{"inspect", "--format", inspectFormat}, names...)...))
	if err != nil {
		return nil, fmt.Errorf("inspecting node containers: %w", err)
	}
	return parseInspect(lines)
}

func parseInspect(lines []string) ([]container, error) {
	var out []container
	for _, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("unexpected docker inspect line %q", line)
		}
		out = append(out, container{Name: strings.TrimPrefix(f[0], "/"), ID: f[1], Role: f[2], Status: f[3]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Role == "control-plane" && out[j].Role != "control-plane" ||
			out[i].Role == out[j].Role && out[i].Name < out[j].Name
	})
	return out, nil
}

// stopped returns the containers that are not running.
func stopped(cs []container) []container {
	var out []container
	for _, c := range cs {
		if !c.running() {
			out = append(out, c)
		}
	}
	return out
}

// start starts the containers in order, control plane first, so that the
// API server is on its way up before the workers' kubelets look for it.
func (d docker) start(cs []container) error {
	for _, c := range cs {
		args := []string{"start", c.Name}
		if c.Status == "paused" {
			args = []string{"unpause", c.Name}
		}
		if err := d(args...).Run(); err != nil {
			return fmt.Errorf("starting node container %s: %w", c.Name, err)
		}
	}
	return nil
}

func containerNames(cs []container) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// internal keeps the kind nodes that are Kubernetes nodes, by the roles
// already inspected (kind's ListInternalNodes asks docker once per node).
func internal(ns []nodes.Node, cs []container) []nodes.Node {
	roles := map[string]string{}
	for _, c := range cs {
		roles[c.Name] = c.Role
	}
	var out []nodes.Node
	for _, n := range ns {
		if r := roles[n.String()]; r == "control-plane" || r == "worker" {
			out = append(out, n)
		}
	}
	return out
}
