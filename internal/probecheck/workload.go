package probecheck

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// workloadKind is a kind whose pod spec check can read, with where the pod
// spec sits and how to reach it in a decoded object.
type workloadKind struct {
	api      string
	podField string
	decode   func() (obj any, meta *metav1.ObjectMeta, spec *corev1.PodSpec)
	// aliases are what --workload accepts besides the kind, as kubectl's
	// short names and plurals.
	aliases []string
}

// kinds: a bare Pod and the workloads with a pod template. A Job's pod
// keeps its restartPolicy (OnFailure or Never), which decides what a
// liveness kill does to it.
func kinds() map[string]workloadKind {
	return map[string]workloadKind{
		"Pod": {"v1", "spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &corev1.Pod{}
			return o, &o.ObjectMeta, &o.Spec
		}, []string{"po", "pod", "pods"}},
		"Deployment": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.Deployment{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}, []string{"deploy", "deployment", "deployments"}},
		"StatefulSet": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.StatefulSet{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}, []string{"sts", "statefulset", "statefulsets"}},
		"DaemonSet": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.DaemonSet{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}, []string{"ds", "daemonset", "daemonsets"}},
		"ReplicaSet": {"apps/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &appsv1.ReplicaSet{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}, []string{"rs", "replicaset", "replicasets"}},
		"Job": {"batch/v1", "spec.template.spec", func() (any, *metav1.ObjectMeta, *corev1.PodSpec) {
			o := &batchv1.Job{}
			return o, &o.ObjectMeta, &o.Spec.Template.Spec
		}, []string{"job", "jobs"}},
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
// its containers; spec is the decoded pod spec.
func parseWorkload(d document, container string) (*Input, *corev1.PodSpec, error) {
	file := d.file
	k := kinds()[d.kind]
	if d.api != k.api {
		return nil, nil, problem(file, "apiVersion", fmt.Sprintf("%q is not the API version of a %s", d.api, d.kind),
			"use apiVersion: "+k.api)
	}
	obj, meta, spec, err := decodeWorkload(d)
	if err != nil {
		return nil, nil, err
	}
	field := k.podField + ".containers"
	i, err := pickContainer(file, field, spec.Containers, container)
	if err != nil {
		return nil, nil, err
	}
	in := &Input{
		File: file, Workload: d.kind + " " + meta.Name, Name: meta.Name, Kind: d.kind, Spec: spec, Labels: podLabels(obj),
		Grace: spec.TerminationGracePeriodSeconds, podField: k.podField,
		containerField: fmt.Sprintf("%s[%d]", field, i),
	}
	in.fromContainer(&spec.Containers[i])
	in.Claims = claims(obj)
	return in, spec, nil
}

// decodeWorkload decodes a workload document strictly.
func decodeWorkload(d document) (obj any, meta *metav1.ObjectMeta, spec *corev1.PodSpec, err error) {
	obj, meta, spec = kinds()[d.kind].decode()
	err = decodeStrict(d.file, d.json, obj, explain(strings.ToLower(d.kind)))
	return obj, meta, spec, err
}

// claims are a StatefulSet's volumeClaimTemplates' names.
func claims(obj any) []string {
	var out []string
	if sts, ok := obj.(*appsv1.StatefulSet); ok {
		for _, c := range sts.Spec.VolumeClaimTemplates {
			out = append(out, c.Name)
		}
	}
	return out
}

// podLabels are the labels a workload's pods carry.
func podLabels(obj any) map[string]string {
	switch o := obj.(type) {
	case *corev1.Pod:
		return o.Labels
	case *appsv1.Deployment:
		return o.Spec.Template.Labels
	case *appsv1.StatefulSet:
		return o.Spec.Template.Labels
	case *appsv1.DaemonSet:
		return o.Spec.Template.Labels
	case *appsv1.ReplicaSet:
		return o.Spec.Template.Labels
	case *batchv1.Job:
		return o.Spec.Template.Labels
	}
	return nil
}

// pickWorkload returns the workload sel names (KIND/NAME), or the only one.
func pickWorkload(input string, ws []document, sel string) (document, error) {
	names := make([]string, len(ws))
	for i, d := range ws {
		names[i] = fmt.Sprintf("%s/%s (%s %s)", d.kind, docName(d), d.file, docField(d.index))
	}
	list := strings.Join(names, ", ")
	if sel == "" {
		if len(ws) == 1 {
			return ws[0], nil
		}
		return document{}, problem(input, "", fmt.Sprintf("holds %d workloads: %s", len(ws), list),
			fmt.Sprintf("pass --workload KIND/NAME to pick one, e.g. --workload %s/%s", ws[0].kind, docName(ws[0])))
	}
	kind, name, _ := strings.Cut(sel, "/")
	var match []document
	for _, d := range ws {
		if name == docName(d) && matchesKind(d.kind, kind) {
			match = append(match, d)
		}
	}
	switch len(match) {
	case 0:
		return document{}, problem(input, "", fmt.Sprintf("has no workload %s (have %s)", sel, list),
			"pass --workload KIND/NAME with one of those")
	case 1:
		return match[0], nil
	}
	return document{}, problem(input, "", fmt.Sprintf("has %d workloads %s (%s)", len(match), sel, list),
		"give only one of them as input")
}

// matchesKind reports whether s names kind: the kind in any case, or one
// of its aliases.
func matchesKind(kind, s string) bool {
	return strings.EqualFold(kind, s) || slices.Contains(kinds()[kind].aliases, strings.ToLower(s))
}

// docName is a document's metadata.name, read loosely (for listing).
func docName(d document) string {
	var m struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	_ = json.Unmarshal(d.json, &m)
	return m.Metadata.Name
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
func parseBare(d document) (*Input, error) {
	file := d.file
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
