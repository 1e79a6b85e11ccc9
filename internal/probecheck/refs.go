package probecheck

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// ref is a ConfigMap or Secret the pod spec names.
type ref struct {
	kind, name string
	optional   bool
	// field is where the spec names it, for messages.
	field string
}

// references lists the ConfigMaps and Secrets spec names (at podField):
// volumes, projected volumes, env and envFrom of every container.
func references(spec *corev1.PodSpec, podField string) []ref {
	var rs []ref
	add := func(kind, name string, opt *bool, field string) {
		rs = append(rs, ref{kind, name, opt != nil && *opt, joinField(podField, field)})
	}
	for i, v := range spec.Volumes {
		f := fmt.Sprintf("volumes[%d]", i)
		if c := v.ConfigMap; c != nil {
			add("ConfigMap", c.Name, c.Optional, f+".configMap.name")
		}
		if s := v.Secret; s != nil {
			add("Secret", s.SecretName, s.Optional, f+".secret.secretName")
		}
		if p := v.Projected; p != nil {
			for j, src := range p.Sources {
				pf := fmt.Sprintf("%s.projected.sources[%d]", f, j)
				if c := src.ConfigMap; c != nil {
					add("ConfigMap", c.Name, c.Optional, pf+".configMap.name")
				}
				if s := src.Secret; s != nil {
					add("Secret", s.Name, s.Optional, pf+".secret.name")
				}
			}
		}
	}
	containers := func(list string, cs []corev1.Container) {
		for i, c := range cs {
			rs = append(rs, containerRefs(c, joinField(podField, fmt.Sprintf("%s[%d]", list, i)))...)
		}
	}
	containers("initContainers", spec.InitContainers)
	containers("containers", spec.Containers)
	return rs
}

// containerRefs lists what one container's env and envFrom name.
func containerRefs(c corev1.Container, field string) []ref {
	var rs []ref
	for i, e := range c.Env {
		f := joinField(field, fmt.Sprintf("env[%d].valueFrom", i))
		if e.ValueFrom == nil {
			continue
		}
		if k := e.ValueFrom.ConfigMapKeyRef; k != nil {
			rs = append(rs, ref{"ConfigMap", k.Name, k.Optional != nil && *k.Optional, f + ".configMapKeyRef.name"})
		}
		if k := e.ValueFrom.SecretKeyRef; k != nil {
			rs = append(rs, ref{"Secret", k.Name, k.Optional != nil && *k.Optional, f + ".secretKeyRef.name"})
		}
	}
	for i, e := range c.EnvFrom {
		f := joinField(field, fmt.Sprintf("envFrom[%d]", i))
		if k := e.ConfigMapRef; k != nil {
			rs = append(rs, ref{"ConfigMap", k.Name, k.Optional != nil && *k.Optional, f + ".configMapRef.name"})
		}
		if k := e.SecretRef; k != nil {
			rs = append(rs, ref{"Secret", k.Name, k.Optional != nil && *k.Optional, f + ".secretRef.name"})
		}
	}
	return rs
}

// collect finds the workload's dependencies (deps.go), keeps the
// ConfigMaps and Secrets among docs that the workload w or a dependency's
// backend references, and lists every other document in Ignored. A
// reference that is neither optional nor in the input is an error: the
// kubelet would never start the container (CreateContainerConfigError).
func (in *Input) collect(docs []document, w document, spec *corev1.PodSpec) error {
	used, err := in.dependencies(docs, w)
	if err != nil {
		return err
	}
	type owned struct {
		file string
		ref
	}
	var refs []owned
	for _, r := range references(spec, in.podField) {
		refs = append(refs, owned{in.File, r})
	}
	for _, d := range in.Dependencies {
		if b := d.Backend; b != nil {
			for _, r := range references(b.Spec, kinds()[b.Kind].podField) {
				refs = append(refs, owned{b.File, r})
			}
		}
	}
	wanted := map[string]bool{}
	for _, r := range refs {
		wanted[r.kind+"/"+r.name] = true
	}
	found := map[string]bool{}
	for _, d := range docs {
		if keyOf(d) == keyOf(w) || used[keyOf(d)] {
			continue
		}
		key := d.kind + "/" + docName(d)
		if !wanted[key] || d.api != "v1" {
			in.Ignored = append(in.Ignored, fmt.Sprintf("%s (%s)", key, d.file))
			continue
		}
		if err := in.keep(d); err != nil {
			return err
		}
		found[key] = true
	}
	for _, r := range refs {
		if !r.optional && !found[r.kind+"/"+r.name] {
			return problem(r.file, r.field, fmt.Sprintf("names %s %q, which is not in the input", r.kind, r.name),
				fmt.Sprintf("add the %s's manifest to the input (the same stream, or another -f FILE)", r.kind))
		}
	}
	return nil
}

// keep decodes a referenced ConfigMap or Secret strictly.
func (in *Input) keep(d document) error {
	if d.kind == "ConfigMap" {
		var cm corev1.ConfigMap
		if err := decodeStrict(d.file, d.json, &cm, explain("configmap")); err != nil {
			return err
		}
		in.ConfigMaps = append(in.ConfigMaps, cm)
		return nil
	}
	var s corev1.Secret
	if err := decodeStrict(d.file, d.json, &s, explain("secret")); err != nil {
		return err
	}
	in.Secrets = append(in.Secrets, s)
	return nil
}
