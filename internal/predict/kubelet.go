package predict

import (
	"fmt"
	"time"
)

// Fixed kubelet behaviour (Kubernetes v1.37.2); none of it is configurable.
const (
	// initialBackOff is the first CrashLoopBackOff delay
	// (pkg/kubelet/kubelet.go initialCrashLoopBackOff).
	initialBackOff = 10 * time.Second
	// defaultMaxBackOff is the cap when the kubelet config says nothing
	// (kubelet.go MaxCrashLoopBackOff = v1beta1.MaxContainerBackOff).
	defaultMaxBackOff = 300 * time.Second
	// backOffExpiry: a back-off entry not touched for this long is forgotten,
	// which resets the back-off (kubelet.go NewMainKubelet HasExpiredFunc,
	// kubelet_pods.go HandlePodCleanups crashLoopBackOff.GC).
	backOffExpiry = 600 * time.Second
	// minGrace is the shortest kill grace period
	// (kuberuntime_manager.go minimumGracePeriodInSeconds).
	minGrace = 2 * time.Second
	// syncTick is how often the sync loop picks up pods whose requeue time
	// has come (kubelet.go syncLoop syncTicker).
	syncTick = time.Second
	// requeueJitter is wait.Jitter's factor for a pod worker requeue after a
	// sync error such as a back-off (pod_workers.go workerBackOffPeriodJitterFactor).
	requeueJitter = 0.5
	// Small latencies that are real but far below a second: the sync that
	// acts on a probe result, a process that exits at SIGTERM, and the
	// runtime's StopContainer returning after the exit.
	syncLag    = 50 * time.Millisecond
	exitLag    = 50 * time.Millisecond
	stopReturn = 50 * time.Millisecond
)

// Span is a latency the model cannot know exactly: its smallest, usual and
// largest value. Predictions run the model at each and keep the spread as
// the tolerance window.
type Span struct {
	Min, Nominal, Max time.Duration
}

func (s Span) valid() bool { return 0 <= s.Min && s.Min <= s.Nominal && s.Nominal <= s.Max }

// Kubelet holds what the prediction needs to know about the cluster: the
// kubelet's configuration and the latencies of this node. DefaultKubelet
// returns the values measured on a probedrill kind cluster.
type Kubelet struct {
	// MaxContainerRestartPeriod is KubeletConfiguration
	// crashLoopBackOff.maxContainerRestartPeriod (feature
	// KubeletCrashLoopBackOffMax, beta and on in v1.37; 1 s to 300 s): the
	// back-off cap. If it is below 10 s it is also the first delay
	// (kubelet.go newCrashLoopBackOff). 0 means the default, 300 s.
	MaxContainerRestartPeriod time.Duration
	// SyncFrequency is KubeletConfiguration syncFrequency (default 1 min): a
	// pod worker never sleeps longer than this before re-checking a back-off
	// (pod_workers.go completeWork). 0 means the default.
	SyncFrequency time.Duration
	// WorkerStart: pod creation → the probe workers start (prober_manager.go
	// AddPod). Every liveness and startup probe ticks on this phase.
	WorkerStart Span
	// FirstStart: pod creation → the first container runs (scheduling,
	// sandbox, create and start; the image is already on the node).
	FirstStart Span
	// RestartLatency: the kubelet decides to start a container → it runs.
	RestartLatency Span
	// StatusDelay: a container starts or exits → the kubelet's status shows
	// it (the PLEG relists every second, kubelet.go genericPlegRelistPeriod).
	// Probe workers read that status, so a new container is probed only then.
	StatusDelay Span
	// TieMargin: when the time since the previous exit and the back-off
	// differ by less than this, the kubelet's `<` comparison may go either
	// way in real life (probe and sync latencies vary by tens of ms), so the
	// prediction keeps both outcomes in the window.
	TieMargin time.Duration
	// TimestampSlack widens every window on both sides. Windows are the
	// model's spread of true times; the API's one-second timestamps
	// (metav1.Time) are the comparer's business (internal/verdict adds
	// Resolution), so the default is 0. Set it when comparing observed
	// offsets against the windows directly.
	TimestampSlack time.Duration
}

// DefaultKubelet returns the facts of a probedrill kind cluster (v1.37.2,
// containerd 2.3, images preloaded), as measured (KUBELET-FACTS.md): the
// first container ran 1 s after pod creation, probes came ~0 s past each
// period, and restarts ran ~1 s after their kill.
func DefaultKubelet() Kubelet {
	return Kubelet{
		MaxContainerRestartPeriod: defaultMaxBackOff,
		SyncFrequency:             time.Minute,
		WorkerStart:               Span{0, 200 * time.Millisecond, time.Second},
		FirstStart:                Span{500 * time.Millisecond, time.Second, 3 * time.Second},
		RestartLatency:            Span{300 * time.Millisecond, 700 * time.Millisecond, 2 * time.Second},
		StatusDelay:               Span{0, 500 * time.Millisecond, time.Second},
		TieMargin:                 250 * time.Millisecond,
	}
}

// withDefaults fills zero fields from DefaultKubelet, so a caller may set
// only what differs (e.g. just MaxContainerRestartPeriod).
func (k Kubelet) withDefaults() Kubelet {
	d := DefaultKubelet()
	fill := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&k.MaxContainerRestartPeriod, d.MaxContainerRestartPeriod)
	fill(&k.SyncFrequency, d.SyncFrequency)
	fill(&k.TieMargin, d.TieMargin)
	for _, s := range []struct{ v, def *Span }{
		{&k.WorkerStart, &d.WorkerStart}, {&k.FirstStart, &d.FirstStart},
		{&k.RestartLatency, &d.RestartLatency}, {&k.StatusDelay, &d.StatusDelay},
	} {
		if *s.v == (Span{}) {
			*s.v = *s.def
		}
	}
	return k
}

// validate reports the first setting the kubelet itself would refuse, or a
// span that is not ordered Min ≤ Nominal ≤ Max.
func (k Kubelet) validate() error {
	if k.MaxContainerRestartPeriod < time.Second || k.MaxContainerRestartPeriod > defaultMaxBackOff {
		return fmt.Errorf("predict: MaxContainerRestartPeriod %v is outside 1s..5m0s (KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod)", k.MaxContainerRestartPeriod)
	}
	for _, s := range []struct {
		name string
		span Span
	}{{"WorkerStart", k.WorkerStart}, {"FirstStart", k.FirstStart}, {"RestartLatency", k.RestartLatency}, {"StatusDelay", k.StatusDelay}} {
		if !s.span.valid() {
			return fmt.Errorf("predict: Kubelet.%s %+v is not ordered 0 ≤ Min ≤ Nominal ≤ Max", s.name, s.span)
		}
	}
	return nil
}

// backOffBounds returns the first delay and the cap
// (kubelet.go newCrashLoopBackOff: a cap below 10 s is also the first delay).
func (k Kubelet) backOffBounds() (initial, limit time.Duration) {
	limit = k.MaxContainerRestartPeriod
	return min(initialBackOff, limit), limit
}
