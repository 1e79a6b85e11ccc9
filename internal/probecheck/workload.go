package probecheck

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// workloadKind is a kind whose pod spec check can read, with where the pod
// spec sits and how to reach it in a decoded object.
type workloadKind struct {
	api      string
	podField string
	decode   func() (obj any, meta *metav1.ObjectMeta, spec *corev1.PodSpec)
}

// kinds: a bare Pod and the workloads with a pod template. Jobs are left
// out: their pods are meant to end, and restartPolicy Never or OnFailure
// changes what a liveness kill means.
func kinds() map[string]workloadKind {
	return map[string]workloadKind{
		"Pod": {"v1", "spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &corev1.Pod{}
			return o, &o.ObjectMeta, &o.Spec
		}},
		"Deployment": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.Deployment{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}},
		"StatefulSet": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.StatefulSet{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}},
		"DaemonSet": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.DaemonSet{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}},
		"ReplicaSet": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.ReplicaSet{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}},
	}
}

// workloads returns the documents of a kind check reads.
func workloads(docs []document) []document {
	var out []document
	for _, d := range docs {
		if _, ok := kinds()[d.kind]; ok {
			out = append(out, d)
		}
	}
	return out
}

// parseWorkload decodes a workload strictly and takes the probes of one of
// its containers.
func parseWorkload(file string, d document, container string) (*Input, error) {
	k := kinds()[d.kind]
	if d.api != k.api {
		return nil, problem(file, "apiVersion", fmt.Sprintf("%q is not the API version of a %s", d.api, d.kind),
			"use apiVersion: "+k.api)
	}
	obj, meta, spec := k.decode()
	if err := decodeStrict(file, d.json, obj, explain(strings.ToLower(d.kind))); err != nil {
		return nil, err
	}
	field := k.podField + ".containers"
	i, err := pickContainer(file, field, spec.Containers, container)
	if err != nil {
		return nil, err
	}
	in := &Input{
		File: file, Workload: d.kind + " " + meta.Name, Name: meta.Name,
		Grace: spec.TerminationGracePeriodSeconds, podField: k.podField,
		containerField: fmt.Sprintf("%s[%d]", field, i),
	}
	in.fromContainer(&spec.Containers[i])
	return in, nil
}

// probeSet is a bare probe file that names its probes: the container's
// probe fields plus the pod's grace period, which decides kill timings.
type probeSet struct {
	LivenessProbe                 *corev1.Probe `json:"livenessProbe,omitempty"`
	ReadinessProbe                *corev1.Probe `json:"readinessProbe,omitempty"`
	StartupProbe                  *corev1.Probe `json:"startupProbe,omitempty"`
	TerminationGracePeriodSeconds *int64        `json:"terminationGracePeriodSeconds,omitempty"`
}

// probeSetFix: a bare probe file's own fields are not in `kubectl explain`.
func probeSetFix(field string) string {
	if strings.Contains(field, ".") {
		return explain("pod.spec.containers")(field)
	}
	return "check the spelling and case; a bare probe file may hold livenessProbe, readinessProbe, startupProbe and terminationGracePeriodSeconds"
}

// parseBare reads a probe set (livenessProbe: ...) or a single probe, which
// is then the liveness probe.
func parseBare(file string, d document) (*Input, error) {
	for _, k := range []string{"spec", "containers", "metadata"} {
		if d.keys[k] {
			return nil, problem(file, "", "has "+k+" but no kind",
				"add apiVersion and kind (e.g. apiVersion: v1, kind: Pod)")
		}
	}
	in := &Input{File: file}
	if d.keys[fieldLiveness] || d.keys[fieldReadiness] || d.keys[fieldStartup] {
		var set probeSet
		if err := decodeStrict(file, d.json, &set, probeSetFix); err != nil {
			return nil, err
		}
		in.Liveness, in.Readiness, in.Startup, in.Grace = set.LivenessProbe, set.ReadinessProbe, set.StartupProbe, set.TerminationGracePeriodSeconds
		return in, nil
	}
	in.bare, in.Liveness = true, &corev1.Probe{}
	if err := decodeStrict(file, d.json, in.Liveness, explain("pod.spec.containers.livenessProbe")); err != nil {
		return nil, err
	}
	return in, nil
}
