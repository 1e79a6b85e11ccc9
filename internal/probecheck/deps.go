package probecheck

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// Dependency is a Service of the input that the checked workload does not
// back itself: something it talks to. Backend is the input's workload the
// Service selects (nil when the input holds none). check runs the backend
// beside the workload, so that its probes meet the dependency as they do
// in production, and dependency-cut cuts it (docs/check.md,
// "dependency-cut").
type Dependency struct {
	Service corev1.Service
	File    string
	Backend *Backend
}

// Backend is a workload of the input that backs a Dependency.
type Backend struct {
	Kind, Name, File string
	// Labels are its pods' labels (the Service selects them).
	Labels map[string]string
	Spec   *corev1.PodSpec
	Claims []string
}

// docKey names a document of the input.
type docKey struct {
	file  string
	index int
}

func keyOf(d document) docKey { return docKey{d.file, d.index} }

// dependencies finds the Services among docs that select pods other than
// the checked workload's (in.Labels), with the workloads that back them,
// and returns the documents they came from.
func (in *Input) dependencies(docs []document, w document) (map[docKey]bool, error) {
	used := map[docKey]bool{}
	for _, d := range docs {
		if d.kind != "Service" || d.api != "v1" {
			continue
		}
		var svc corev1.Service
		if err := decodeStrict(d.file, d.json, &svc, explain("service")); err != nil {
			return nil, err
		}
		sel := svc.Spec.Selector
		if len(sel) == 0 || selects(sel, in.Labels) {
			continue // no pods of its own, or the workload's own Service
		}
		dep := Dependency{Service: svc, File: d.file}
		for _, b := range workloads(docs) {
			if keyOf(b) == keyOf(w) {
				continue
			}
			obj, meta, spec, err := decodeWorkload(b)
			if err != nil {
				return nil, err
			}
			if selects(sel, podLabels(obj)) {
				dep.Backend = &Backend{Kind: b.kind, Name: meta.Name, File: b.file, Labels: podLabels(obj), Spec: spec, Claims: claims(obj)}
				used[keyOf(b)] = true
				break
			}
		}
		used[keyOf(d)] = true
		in.Dependencies = append(in.Dependencies, dep)
	}
	return used, nil
}

// selects reports whether a Service's selector picks pods labelled labels.
func selects(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// String is "Service/redis (backed by Deployment/redis)".
func (d Dependency) String() string {
	if d.Backend == nil {
		return fmt.Sprintf("Service/%s (nothing in the input backs it)", d.Service.Name)
	}
	return fmt.Sprintf("Service/%s (backed by %s/%s)", d.Service.Name, d.Backend.Kind, d.Backend.Name)
}
