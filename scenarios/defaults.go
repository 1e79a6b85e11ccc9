package scenarios

import corev1 "k8s.io/api/core/v1"

// Defaults that are not the API server's.
const (
	DefaultContainerName = "faultyapp"
	DefaultPort          = 8080
	DefaultAfter         = 5 // the seed app fails from the 6th request
	DefaultHealthFile    = "/tmp/healthy"
)

// API server defaults (pkg/apis/core/v1/defaults.go, v1.37.2): the
// predictor must see what the kubelet will run, not what the YAML left out.
const (
	DefaultGracePeriod      int64 = 30 // SetDefaults_PodSpec
	DefaultTimeoutSeconds   int32 = 1  // SetDefaults_Probe
	DefaultPeriodSeconds    int32 = 10
	DefaultSuccessThreshold int32 = 1
	DefaultFailureThreshold int32 = 3
)

// SetDefaults fills every field the API server or faultyapp would default,
// so that the predictor and the renderer read real values. It is idempotent.
func (s *Scenario) SetDefaults() {
	s.App.setDefaults()
	s.Pod.setDefaults(s.Name)
}

func (a *App) setDefaults() {
	if a.OnSigterm == "" {
		a.OnSigterm = SigtermExit
	}
	if a.Port == 0 {
		a.Port = DefaultPort
	}
	if a.After == nil && Counted(a.Fault) {
		n := DefaultAfter
		a.After = &n
	}
	if a.HealthFile == "" && a.Fault == FaultExecFile {
		a.HealthFile = DefaultHealthFile
	}
}

func (p *Pod) setDefaults(scenario string) {
	if p.Kind == "" {
		p.Kind = KindPod
	}
	if p.Name == "" {
		p.Name = scenario
	}
	if p.ContainerName == "" {
		p.ContainerName = DefaultContainerName
	}
	if p.RestartPolicy == "" {
		p.RestartPolicy = corev1.RestartPolicyAlways
	}
	if p.TerminationGracePeriodSeconds == nil {
		g := DefaultGracePeriod
		p.TerminationGracePeriodSeconds = &g
	}
	for _, pr := range p.probes() {
		SetProbeDefaults(pr.probe)
	}
}

// SetProbeDefaults applies the API server's probe defaults
// (SetDefaults_Probe and SetDefaults_HTTPGetAction, v1.37.2). nil is a no-op.
func SetProbeDefaults(p *corev1.Probe) {
	if p == nil {
		return
	}
	setIfZero(&p.TimeoutSeconds, DefaultTimeoutSeconds)
	setIfZero(&p.PeriodSeconds, DefaultPeriodSeconds)
	setIfZero(&p.SuccessThreshold, DefaultSuccessThreshold)
	setIfZero(&p.FailureThreshold, DefaultFailureThreshold)
	if h := p.HTTPGet; h != nil {
		if h.Path == "" {
			h.Path = "/"
		}
		if h.Scheme == "" {
			h.Scheme = corev1.URISchemeHTTP
		}
	}
}

func setIfZero(v *int32, def int32) {
	if *v == 0 {
		*v = def
	}
}

// namedProbe is one of the pod's probes with its field name.
type namedProbe struct {
	field string // livenessProbe, readinessProbe, startupProbe
	kind  string // Liveness, Readiness, Startup: the kubelet's event spelling
	probe *corev1.Probe
}

// probes returns the probes that are set, in field order.
func (p *Pod) probes() []namedProbe {
	all := []namedProbe{
		{"startupProbe", "Startup", p.StartupProbe},
		{"livenessProbe", "Liveness", p.LivenessProbe},
		{"readinessProbe", "Readiness", p.ReadinessProbe},
	}
	var out []namedProbe
	for _, np := range all {
		if np.probe != nil {
			out = append(out, np)
		}
	}
	return out
}
