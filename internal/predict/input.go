package predict

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/scenarios"
)

// probeType mirrors the kubelet's (pkg/kubelet/prober/prober_manager.go).
type probeType int

const (
	liveness probeType = iota
	readiness
	startup
)

// String is the kubelet's spelling, as in "Liveness probe failed: ...".
func (t probeType) String() string {
	return [...]string{"Liveness", "Readiness", "Startup"}[t]
}

// handlerKind is how a probe reaches the container.
type handlerKind int

const (
	httpGet handlerKind = iota
	tcpSocket
	execAction
	grpcCheck
)

// probeSpec is one probe with the API defaults applied and times resolved.
type probeSpec struct {
	typ          probeType
	handler      handlerKind
	port         int32  // resolved port; 0 for exec
	path         string // httpGet path
	authorized   bool   // httpGet sends faultyapp's bearer token
	initialDelay int32  // seconds, compared as worker.go does
	period       time.Duration
	timeout      time.Duration
	success      int
	failure      int
	grace        *time.Duration // probe-level terminationGracePeriodSeconds
}

// drill is a scenario reduced to what the kubelet and faultyapp act on.
type drill struct {
	container string
	policy    corev1.RestartPolicy
	grace     time.Duration // the pod's terminationGracePeriodSeconds
	probes    []*probeSpec  // in prober_manager.go AddPod order: startup, readiness, liveness
	app       app
}

// faultyapp's defaults that the Scenario type does not carry
// (faultyapp/internal/config/options.go).
const (
	appExitCode  = 1
	appFlakyP    = 0.3
	appCost      = 250 * time.Millisecond
	appLeakRate  = 10 << 20 // bytes per second (-leak-rate 10)
	appBaseline  = 8 << 20  // resident bytes before the leak: an estimate
	appToken     = "letmein"
	defaultGrace = 30 * time.Second
)

// resolve checks and reduces a scenario, applying the API server's defaults
// to anything left unset (SetDefaults_Probe, SetDefaults_PodSpec).
func resolve(s *scenarios.Scenario) (*drill, error) {
	if s == nil {
		return nil, errors.New("predict: no scenario")
	}
	a, err := resolveApp(s.App)
	if err != nil {
		return nil, err
	}
	d := &drill{container: s.Pod.ContainerName, policy: s.Pod.RestartPolicy, grace: defaultGrace, app: a}
	if d.container == "" {
		d.container = scenarios.DefaultContainerName
	}
	if d.policy == "" {
		d.policy = corev1.RestartPolicyAlways
	}
	if g := s.Pod.TerminationGracePeriodSeconds; g != nil {
		d.grace = time.Duration(*g) * time.Second
	}
	d.probes, err = resolveProbes(s.Pod, a.port)
	return d, err
}

// resolveProbes returns the pod's probes in the order prober_manager.go
// AddPod starts their workers: startup, readiness, liveness.
func resolveProbes(pod scenarios.Pod, appPort int32) ([]*probeSpec, error) {
	var out []*probeSpec
	for _, p := range []struct {
		typ   probeType
		probe *corev1.Probe
	}{{startup, pod.StartupProbe}, {readiness, pod.ReadinessProbe}, {liveness, pod.LivenessProbe}} {
		if p.probe == nil {
			continue
		}
		ps, err := resolveProbe(p.typ, p.probe, appPort)
		if err != nil {
			return nil, err
		}
		out = append(out, ps)
	}
	return out, nil
}

// resolveProbe applies the probe defaults: timeout 1 s, period 10 s,
// thresholds 1 and 3 (pkg/apis/core/v1/defaults.go SetDefaults_Probe).
func resolveProbe(t probeType, p *corev1.Probe, appPort int32) (*probeSpec, error) {
	ps := &probeSpec{
		typ: t, initialDelay: p.InitialDelaySeconds, path: "/",
		timeout: secondsOr(p.TimeoutSeconds, 1), period: secondsOr(p.PeriodSeconds, 10),
		success: int(max(p.SuccessThreshold, 1)), failure: int(orDefault(p.FailureThreshold, 3)),
	}
	if g := p.TerminationGracePeriodSeconds; g != nil {
		d := time.Duration(*g) * time.Second
		ps.grace = &d
	}
	if ps.initialDelay < 0 {
		return nil, fmt.Errorf("predict: the %s probe's initialDelaySeconds %d is negative", t, ps.initialDelay)
	}
	return ps, ps.setHandler(p.ProbeHandler, appPort)
}

// setHandler records how the probe reaches the container.
func (ps *probeSpec) setHandler(h corev1.ProbeHandler, appPort int32) error {
	switch {
	case h.HTTPGet != nil:
		ps.handler, ps.port = httpGet, resolvePort(h.HTTPGet.Port, appPort)
		if h.HTTPGet.Path != "" {
			ps.path = h.HTTPGet.Path
		}
		ps.authorized = slices.ContainsFunc(h.HTTPGet.HTTPHeaders, func(h corev1.HTTPHeader) bool {
			return h.Name == "Authorization" && h.Value == "Bearer "+appToken
		})
	case h.TCPSocket != nil:
		ps.handler, ps.port = tcpSocket, resolvePort(h.TCPSocket.Port, appPort)
	case h.GRPC != nil:
		ps.handler, ps.port = grpcCheck, h.GRPC.Port
	case h.Exec != nil:
		ps.handler = execAction
	default:
		return fmt.Errorf("predict: the %s probe has no handler (set httpGet, tcpSocket, exec or grpc)", ps.typ)
	}
	return nil
}

// resolvePort: a named port is faultyapp's (the renderer names it
// scenarios.PortName), a number is itself.
func resolvePort(p intstr.IntOrString, appPort int32) int32 {
	if p.Type == intstr.String {
		return appPort
	}
	return p.IntVal
}

func secondsOr(v, def int32) time.Duration { return time.Duration(orDefault(v, def)) * time.Second }

func orDefault(v, def int32) int32 {
	if v <= 0 {
		return def
	}
	return v
}

// app is faultyapp's configuration, with faultyapp's own defaults.
type app struct {
	fault      string
	after      int
	afterTime  time.Duration // 0: no timer
	exitCode   int32
	startup    time.Duration
	p          float64
	healthWall time.Duration // heavy-health: wall time of one /healthz under the CPU limit
	cpuScale   float64       // wall time per CPU time under the CPU limit (1 without one)
	sigterm    string
	port       int32
	oomAfter   time.Duration // leak: fault start → OOM kill; 0 without a memory limit
}

func resolveApp(a scenarios.App) (app, error) {
	if !slices.Contains(scenarios.Faults(), a.Fault) {
		return app{}, fmt.Errorf("predict: unknown fault %q (use one of %v)", a.Fault, scenarios.Faults())
	}
	r := app{fault: a.Fault, after: scenarios.DefaultAfter, exitCode: appExitCode, p: appFlakyP,
		sigterm: cmp.Or(a.OnSigterm, scenarios.SigtermExit), port: cmp.Or(a.Port, scenarios.DefaultPort)}
	if a.After != nil {
		r.after = *a.After
	}
	if a.ExitCode != nil {
		r.exitCode = int32(*a.ExitCode)
	}
	if a.P != nil {
		r.p = *a.P
	}
	r.afterTime, r.startup = durationOf(a.AfterTime), durationOf(a.Startup)
	r.healthWall, r.oomAfter = resourceTimes(a)
	r.cpuScale = 1
	if m := a.Resources.Limits.Cpu().MilliValue(); m > 0 && m < 1000 {
		r.cpuScale = 1000 / float64(m)
	}
	return r, nil
}

func durationOf(d *metav1.Duration) time.Duration {
	if d == nil {
		return 0
	}
	return d.Duration
}

// resourceTimes derives the two faults that depend on limits. heavy-health
// burns CPU time; under a CPU limit of m millicores the CFS quota lets it
// run m/1000 of the wall time, so the wall time is cost·1000/m. leak grows
// by -leak-rate a second from a small baseline until the memory limit.
func resourceTimes(a scenarios.App) (wall, oom time.Duration) {
	cost := appCost
	if a.Cost != nil {
		cost = a.Cost.Duration
	}
	wall = cost
	if m := a.Resources.Limits.Cpu().MilliValue(); m > 0 && m < 1000 {
		wall = cost * 1000 / time.Duration(m)
	}
	if lim := a.Resources.Limits.Memory().Value(); lim > 0 {
		grow := max(lim-appBaseline, 0)
		oom = time.Duration(float64(grow) / appLeakRate * float64(time.Second))
	}
	return wall, oom
}
