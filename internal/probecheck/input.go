// Package probecheck tests a user's probe configuration: it reads the probes
// from a Pod or Deployment manifest (or a bare probe), builds one synthetic
// scenario per fault with faultyapp standing in for the user's app behind
// exactly those probes, predicts and runs them through internal/drill, and
// judges per fault whether the probe caught what it must catch and spared
// what it must not kill. cmd/probedrill/check is its command line.
package probecheck

import (
	"fmt"
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
	// Image is the checked container's image ("" for a bare probe).
	Image string
	// Liveness is required; Readiness and Startup are kept when set.
	Liveness, Readiness, Startup *corev1.Probe
	// Grace is the pod's terminationGracePeriodSeconds, if set.
	Grace *int64
	// Ports are the container's ports, to resolve named probe ports.
	Ports []corev1.ContainerPort
	// CPULimit is the container's CPU limit, if any (heavy-health runs under it).
	CPULimit *resource.Quantity

	// Kind is the workload's kind ("Deployment"); "" for a bare probe.
	Kind string
	// Spec is the workload's whole pod spec as given; nil for a bare probe.
	Spec *corev1.PodSpec
	// Claims are a StatefulSet's volumeClaimTemplates: volumes its pods
	// mount that the pod spec does not list.
	Claims []string
	// ConfigMaps and Secrets are the input's objects the pod references.
	ConfigMaps []corev1.ConfigMap
	Secrets    []corev1.Secret
	// Labels are the labels the workload's pods carry.
	Labels map[string]string
	// Dependencies are the input's Services the workload does not back
	// itself: what it talks to (deps.go).
	Dependencies []Dependency
	// Ignored lists the input's other objects, e.g. "Service/web (web.yaml)".
	Ignored []string
	// Sources are the files read ("stdin" for -).
	Sources []string

	// podField and containerField are JSON paths into the file for messages
	// ("spec.template.spec", "spec.template.spec.containers[0]"); bare is set
	// for a document that is a single corev1.Probe.
	podField, containerField string
	bare                     bool
}

// Selection picks what to check when the input holds several workloads or
// the pod several containers.
type Selection struct {
	// Workload is KIND/NAME, e.g. Deployment/web or deploy/web.
	Workload string
	// Container is the container's name.
	Container string
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

// Parse reads the documents of one file; see Read.
func Parse(file string, data []byte, container string) (*Input, error) {
	docs, err := documents(file, data)
	if err != nil {
		return nil, err
	}
	in, err := parseDocs(file, docs, Selection{Container: container})
	if err == nil {
		in.Sources = []string{file}
	}
	return in, err
}

// parseDocs takes the workload sel picks among docs (or the bare probe
// that is the only document), with the ConfigMaps and Secrets its pod
// references; every other object is listed in Ignored. input names all the
// sources for messages about the whole input.
func parseDocs(input string, docs []document, sel Selection) (*Input, error) {
	if len(docs) == 0 {
		return nil, problem(input, "", "is empty", "give a Pod or Deployment manifest, or a livenessProbe")
	}
	if w := workloads(docs); len(w) > 0 {
		d, err := pickWorkload(input, w, sel.Workload)
		if err != nil {
			return nil, err
		}
		in, spec, err := parseWorkload(d, sel.Container)
		if err != nil {
			return nil, err
		}
		return in, in.collect(docs, d, spec)
	}
	if docs[0].kind != "" || len(docs) > 1 {
		return nil, noWorkload(input, docs)
	}
	if sel.Container != "" || sel.Workload != "" {
		return nil, problem(docs[0].file, "", "is a bare probe, which has no workload or containers",
			"drop --workload and --container, or give the Pod or Deployment")
	}
	return parseBare(docs[0])
}

// noWorkload explains an input whose documents hold no supported workload.
func noWorkload(input string, docs []document) error {
	var kinds []string
	for _, d := range docs {
		if d.kind == "" {
			return problem(d.file, docField(d.index), "has no kind",
				"add apiVersion and kind (a Pod or a Deployment), or give a bare livenessProbe alone in the file")
		}
		kinds = append(kinds, d.kind)
	}
	return problem(input, "", "holds no Pod or Deployment (found "+strings.Join(kinds, ", ")+")",
		"give the manifest of the Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet or Job whose probes to check")
}

// fromContainer fills the container-level fields.
func (in *Input) fromContainer(c *corev1.Container) {
	in.Container, in.Image = c.Name, c.Image
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
