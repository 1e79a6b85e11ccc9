package owncheck

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// Adapt returns a copy of spec that can run in a drill namespace, and a
// note for each change: PVCs and a StatefulSet's claims become emptyDirs (a cold start on an empty
// volume, as a fresh install), and what names objects the namespace does
// not have (a service account, a priority class, image pull secrets) or
// pins the pod to nodes it may not find is dropped. pullNever sets every
// container's imagePullPolicy to Never: the images were loaded onto the
// nodes, and check never pulls on the user's behalf.
func Adapt(spec *corev1.PodSpec, claims []string, pullNever bool) (*corev1.PodSpec, []string) {
	s := spec.DeepCopy()
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	for _, c := range claims {
		note("volume %s: the volumeClaimTemplate became an emptyDir: every start begins on an empty volume, as a fresh install", c)
		s.Volumes = append(s.Volumes, corev1.Volume{Name: c, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
	}
	for i, v := range s.Volumes {
		if c := v.PersistentVolumeClaim; c != nil {
			note("volume %s: PersistentVolumeClaim %s became an emptyDir: every start begins on an empty volume, as a fresh install", v.Name, c.ClaimName)
			s.Volumes[i].VolumeSource = corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}
		}
	}
	if s.ServiceAccountName != "" && s.ServiceAccountName != "default" {
		note("serviceAccountName %s dropped: the drill namespace has only its default service account", s.ServiceAccountName)
		s.ServiceAccountName, s.DeprecatedServiceAccount = "", ""
	}
	if s.PriorityClassName != "" {
		note("priorityClassName %s dropped: the cluster may not have it", s.PriorityClassName)
		s.PriorityClassName, s.Priority = "", nil
	}
	if len(s.ImagePullSecrets) > 0 {
		note("imagePullSecrets dropped: the images come from this machine, not a registry")
		s.ImagePullSecrets = nil
	}
	if s.NodeName != "" || len(s.NodeSelector) > 0 || s.Affinity != nil || len(s.TopologySpreadConstraints) > 0 {
		note("nodeName, nodeSelector, affinity and topologySpreadConstraints dropped: the drill's pod may run on any node")
		s.NodeName, s.NodeSelector, s.Affinity, s.TopologySpreadConstraints = "", nil, nil, nil
	}
	if pullNever {
		setPullNever(s.InitContainers)
		setPullNever(s.Containers)
	}
	return s, notes
}

func setPullNever(cs []corev1.Container) {
	for i := range cs {
		cs[i].ImagePullPolicy = corev1.PullNever
	}
}

// Images lists the images of the pod's init containers and containers,
// each once, in order.
func Images(spec *corev1.PodSpec) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		if !seen[c.Image] {
			seen[c.Image] = true
			out = append(out, c.Image)
		}
	}
	return out
}

// gauge returns a copy of spec whose container named c has no liveness
// or startup probe and, as its readiness probe, the handler the kubelet
// first asks of it (startup's, else liveness's, else readiness's), every
// second, failing once is not-ready: readiness never kills, so the first
// Ready is when the app first answers that handler (docs/check.md,
// "cold-start"). It returns nil when the container has no probe.
func gauge(spec *corev1.PodSpec, c string) *corev1.PodSpec {
	s := spec.DeepCopy()
	for i := range s.Containers {
		ct := &s.Containers[i]
		if ct.Name != c {
			continue
		}
		first := firstProbe(ct)
		if first == nil {
			return nil
		}
		p := &corev1.Probe{ProbeHandler: first.ProbeHandler, TimeoutSeconds: first.TimeoutSeconds,
			PeriodSeconds: 1, SuccessThreshold: 1, FailureThreshold: 1}
		ct.LivenessProbe, ct.StartupProbe, ct.ReadinessProbe = nil, nil, p
		return s
	}
	return nil
}

// firstProbe is the probe that decides a cold start: startup, else
// liveness, else readiness.
func firstProbe(c *corev1.Container) *corev1.Probe {
	switch {
	case c.StartupProbe != nil:
		return c.StartupProbe
	case c.LivenessProbe != nil:
		return c.LivenessProbe
	}
	return c.ReadinessProbe
}
