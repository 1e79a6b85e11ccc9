package render

import (
	"fmt"
	"path"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/scenarios"
)

// NonRootUID is the image's user (distroless "nonroot"); the pod runs as it
// so that Pod Security "restricted" admits it.
const NonRootUID int64 = 65532

// tmpVolume is the writable directory exec-file keeps its health file in:
// the root filesystem is read-only.
const tmpVolume = "health"

func podSpec(s *scenarios.Scenario, opts Options) corev1.PodSpec {
	uid, yes, no := NonRootUID, true, false
	spec := corev1.PodSpec{
		Containers: []corev1.Container{container(s, opts)},
		// faultyapp never talks to the API server: no token in the pod.
		AutomountServiceAccountToken: &no,
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   &yes,
			RunAsUser:      &uid,
			RunAsGroup:     &uid,
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
	}
	// Leave out what equals the API default, so the manifest shows only
	// what the scenario chose (the seed's pod sets neither).
	if s.Pod.RestartPolicy != corev1.RestartPolicyAlways {
		spec.RestartPolicy = s.Pod.RestartPolicy
	}
	if g := s.Pod.TerminationGracePeriodSeconds; g != nil && *g != scenarios.DefaultGracePeriod {
		spec.TerminationGracePeriodSeconds = g
	}
	spec.Tolerations = tolerations(s.Pod.UnreachableTolerationSeconds)
	if dir, ok := healthDir(s); ok {
		spec.Volumes = []corev1.Volume{{
			Name:         tmpVolume,
			VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}},
		}}
		spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: tmpVolume, MountPath: dir}}
	}
	return spec
}

// tolerations bound how long the pod outlives its node: the taint manager
// evicts it once the node has been not-ready or unreachable this long.
func tolerations(seconds *int64) []corev1.Toleration {
	if seconds == nil {
		return nil
	}
	var out []corev1.Toleration
	for _, key := range []string{corev1.TaintNodeNotReady, corev1.TaintNodeUnreachable} {
		out = append(out, corev1.Toleration{
			Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute,
			TolerationSeconds: seconds,
		})
	}
	return out
}

// healthDir is the directory exec-file writes to, if the fault is exec-file.
func healthDir(s *scenarios.Scenario) (string, bool) {
	if s.App.Fault != scenarios.FaultExecFile {
		return "", false
	}
	return path.Dir(path.Clean(s.App.HealthFile)), true
}

func container(s *scenarios.Scenario, opts Options) corev1.Container {
	no, yes := false, true
	return corev1.Container{
		Name:            s.Pod.ContainerName,
		Image:           opts.image(),
		ImagePullPolicy: corev1.PullIfNotPresent,
		Args:            Args(s.App),
		Ports: []corev1.ContainerPort{{
			Name: scenarios.PortName, ContainerPort: s.App.Port, Protocol: corev1.ProtocolTCP,
		}},
		LivenessProbe:  minimalProbe(s.Pod.LivenessProbe),
		ReadinessProbe: minimalProbe(s.Pod.ReadinessProbe),
		StartupProbe:   minimalProbe(s.Pod.StartupProbe),
		Resources:      *s.App.Resources.DeepCopy(),
		SecurityContext: &corev1.SecurityContext{
			AllowPrivilegeEscalation: &no,
			ReadOnlyRootFilesystem:   &yes,
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
	}
}

// Args are faultyapp's flags for an app, one "-flag=value" per field set,
// in a fixed order (faultyapp -help's).
func Args(a scenarios.App) []string {
	args := []string{fmt.Sprintf("-addr=:%d", a.Port), "-fault=" + a.Fault}
	add := func(set bool, flag, value string) {
		if set {
			args = append(args, "-"+flag+"="+value)
		}
	}
	add(a.After != nil, "after", itoa(a.After))
	add(a.AfterTime != nil, "after-time", durationString(a.AfterTime))
	add(a.ExitCode != nil, "exit-code", itoa(a.ExitCode))
	add(a.Startup != nil, "startup", durationString(a.Startup))
	add(a.HealthFile != "", "health-file", a.HealthFile)
	add(a.P != nil, "p", floatString(a.P))
	add(a.Cost != nil, "cost", durationString(a.Cost))
	add(a.Dependency != "", "dependency", a.Dependency)
	add(a.OnSigterm != "", "on-sigterm", a.OnSigterm)
	return args
}

// minimalProbe copies a probe without the fields that equal the API
// server's defaults (pkg/apis/core/v1/defaults.go): the API puts them back,
// and the manifest stays as short as what the scenario wrote.
func minimalProbe(p *corev1.Probe) *corev1.Probe {
	if p == nil {
		return nil
	}
	p = p.DeepCopy()
	clearIf(&p.TimeoutSeconds, scenarios.DefaultTimeoutSeconds)
	clearIf(&p.PeriodSeconds, scenarios.DefaultPeriodSeconds)
	clearIf(&p.SuccessThreshold, scenarios.DefaultSuccessThreshold)
	clearIf(&p.FailureThreshold, scenarios.DefaultFailureThreshold)
	if p.HTTPGet != nil && p.HTTPGet.Scheme == corev1.URISchemeHTTP {
		p.HTTPGet.Scheme = ""
	}
	return p
}

func clearIf(v *int32, def int32) {
	if *v == def {
		*v = 0
	}
}
