// Package probecheck tests a user's probe configuration: it reads the probes
// from a Pod or Deployment manifest (or a bare probe), builds one synthetic
// scenario per fault with faultyapp standing in for the user's app behind
// exactly those probes, predicts and runs them through internal/drill, and
// judges per fault whether the probe caught what it must catch and spared
// what it must not kill. cmd/probedrill/check is its command line.
package probecheck

import (
	"fmt"
	"os"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Input is what check needs from the user's file: one container's probes and
// the pod settings that decide what the kubelet does with them.
type Input struct {
	// File is the path as the user gave it; every message starts with it.
	File string
	// Workload is "Deployment web" or "Pod test2-liveness"; "" for a bare probe.
	Workload string
	// Name is the workload's name ("" for a bare probe).
	Name string
	// Container is the checked container's name ("" for a bare probe).
	Container string
	// Liveness is required; Readiness and Startup are kept when set.
	Liveness, Readiness, Startup *corev1.Probe
	// Grace is the pod's terminationGracePeriodSeconds, if set.
	Grace *int64
	// Ports are the container's ports, to resolve named probe ports.
	Ports []corev1.ContainerPort
	// CPULimit is the container's CPU limit, if any (heavy-health runs under it).
	CPULimit *resource.Quantity

	// podField and containerField are JSON paths into the file for messages
	// ("spec.template.spec", "spec.template.spec.containers[0]"); bare is set
	// for a document that is a single corev1.Probe.
	podField, containerField string
	bare                     bool
}

// Probe fields, as the API spells them.
const (
	fieldLiveness  = "livenessProbe"
	fieldReadiness = "readinessProbe"
	fieldStartup   = "startupProbe"
)

// Field is the JSON path of a container field (e.g. "livenessProbe") in the
// user's file, for messages.
func (in *Input) Field(name string) string {
	if in.bare && name == fieldLiveness {
		return ""
	}
	return joinField(in.containerField, name)
}

// graceField is where terminationGracePeriodSeconds lives in the file.
func (in *Input) graceField() string {
	return joinField(in.podField, "terminationGracePeriodSeconds")
}

// maxFileSize bounds what ReadFile accepts: a manifest is a few pages.
const maxFileSize = 1 << 20

// ReadFile reads and parses a user's file; see Parse.
func ReadFile(file, container string) (*Input, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if st.Size() > maxFileSize {
		return nil, problem(file, "", fmt.Sprintf("%d bytes is more than a manifest needs", st.Size()),
			fmt.Sprintf("give a file under %d bytes holding the Pod or Deployment", maxFileSize))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	return Parse(file, data, container)
}

// Parse reads a Pod, a Deployment (or StatefulSet, DaemonSet, ReplicaSet),
// or a bare probe from data. A multi-document file may hold other objects
// (a Service, a ConfigMap), which are skipped, but one workload only.
// container picks the container when the pod has several. Every error is a
// *scenarios.InvalidError naming file, field and fix.
func Parse(file string, data []byte, container string) (*Input, error) {
	docs, err := documents(file, data)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, problem(file, "", "is empty", "give a Pod or Deployment manifest, or a livenessProbe")
	}
	if w := workloads(docs); len(w) > 0 {
		return parseWorkloads(file, w, container)
	}
	if docs[0].kind != "" || len(docs) > 1 {
		return nil, noWorkload(file, docs)
	}
	if container != "" {
		return nil, problem(file, "", "is a bare probe, which has no containers",
			"drop --container, or give the Pod or Deployment")
	}
	return parseBare(file, docs[0])
}

// parseWorkloads decodes the one workload among docs.
func parseWorkloads(file string, w []document, container string) (*Input, error) {
	if len(w) > 1 {
		names := make([]string, len(w))
		for i, d := range w {
			names[i] = fmt.Sprintf("%s (%s)", d.kind, docField(d.index))
		}
		return nil, problem(file, "", fmt.Sprintf("holds %d workloads: %s", len(w), strings.Join(names, ", ")),
			"put the one to check in a file of its own")
	}
	return parseWorkload(file, w[0], container)
}

// noWorkload explains a file whose documents hold no supported workload.
func noWorkload(file string, docs []document) error {
	var kinds []string
	for _, d := range docs {
		if d.kind == "" {
			return problem(file, docField(d.index), "has no kind",
				"add apiVersion and kind (a Pod or a Deployment), or give a bare livenessProbe alone in the file")
		}
		kinds = append(kinds, d.kind)
	}
	return problem(file, "", "holds no Pod or Deployment (found "+strings.Join(kinds, ", ")+")",
		"give the manifest of the Pod, Deployment, StatefulSet, DaemonSet or ReplicaSet whose probes to check")
}

// fromContainer fills the container-level fields.
func (in *Input) fromContainer(c *corev1.Container) {
	in.Container = c.Name
	in.Liveness, in.Readiness, in.Startup = c.LivenessProbe, c.ReadinessProbe, c.StartupProbe
	in.Ports = c.Ports
	if q, ok := c.Resources.Limits[corev1.ResourceCPU]; ok {
		in.CPULimit = &q
	}
}

// pickContainer returns the index of the container to check.
func pickContainer(file, field string, cs []corev1.Container, want string) (int, error) {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	switch {
	case len(cs) == 0:
		return 0, problem(file, field, "no containers", "add the container whose probes to check")
	case want != "":
		if i := slices.Index(names, want); i >= 0 {
			return i, nil
		}
		return 0, problem(file, field, fmt.Sprintf("no container %q (have %s)", want, strings.Join(names, ", ")),
			"pass --container with one of those names")
	case len(cs) > 1:
		return 0, problem(file, field, fmt.Sprintf("%d containers (%s)", len(cs), strings.Join(names, ", ")),
			"pass --container NAME to pick the one whose probes to check")
	}
	return 0, nil
}
