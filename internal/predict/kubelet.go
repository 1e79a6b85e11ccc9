package predict

import (
	"fmt"
	"time"
)

// KubernetesVersion is the kubelet the model reads (its source, and the
// cluster probedrill builds): docs/kubelet-facts.md.
const KubernetesVersion = "v1.37.2"

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
	// stopReturn: the runtime's StopContainer returns after the exit, a
	// small latency that is real but far below a second.
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
	// FirstStart: pod creation → the first container runs (scheduling,
	// sandbox, create and start; the image is already on the node).
	FirstStart Span
	// WorkerLead: the probe workers start → the first container runs. The
	// pod's first sync calls probeManager.AddPod before the runtime creates
	// the sandbox and starts the container (kubelet.go SyncPod), and each
	// worker ticks every periodSeconds from then on, restarts included
	// (prober/worker.go run). So every probe's phase is set this long before
	// the first container runs; the model cannot see it, and explores it.
	WorkerLead Span
	// RestartLatency: the kubelet decides to start a container → it runs.
	RestartLatency Span
	// ExitLatency: the runtime signals the container (SIGTERM, or SIGKILL
	// at the end of the grace period) → the process is gone and containerd
	// has its FinishedAt.
	ExitLatency Span
	// StatusDelay: a container starts or exits → the kubelet's status shows
	// it (the PLEG relists every second, kubelet.go genericPlegRelistPeriod).
	// Probe workers read that status, so a new container is probed only then.
	StatusDelay Span
	// ProbeLatency: a prober worker's tick → its result and the Unhealthy
	// event's timestamp, beyond what the app itself takes (prober.go probe,
	// the HTTP client, the event recorder): goroutine and network delays.
	ProbeLatency Span
	// ExecLatency: an exec probe's tick → its result, on top of
	// ProbeLatency: the command runs through the runtime (CRI ExecSync:
	// runc exec, the process, its exit), which a busy node makes slow.
	ExecLatency Span
	// ListenLatency: a container runs → faultyapp accepts connections (the
	// process starting and binding its ports); a probe before then is
	// refused. Under a CPU limit of m millicores it takes 1000/m times as
	// long (the CFS quota).
	ListenLatency Span
	// KillLatency: the result that reaches failureThreshold → the pod sync
	// that kills the container and records Killing (kubelet.go
	// syncLoopIteration handleProbeSync, then the pod worker).
	KillLatency Span
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
	// Removals is how many kills of one run may find the exited container
	// before them deleted (docs/kubelet-backoff.md, "When the exited
	// container is gone"): 0 unless a calibration under load saw it. Any
	// number above 0 lets the model try one per run (removals in grid.go):
	// two in one drill were never measured (a GC tick inside a container's
	// creation, once a minute at most).
	Removals int
}

// DefaultKubelet returns the facts of a probedrill kind cluster (v1.37.2,
// containerd 2.3, images preloaded). Nominal values are a quiet cluster's,
// as measured (docs/kubelet-facts.md): the first container ran 1 s after pod
// creation, probes came ~0 s past each period, and restarts ran ~1 s after
// their kill. Each span's Max is what the same cluster showed on a 2-core
// machine under `make e2e` (16 drills at once, plus other builds on the
// machine), measured from the API in the e2e suite's JSON report
// (suites/README.md, "Latencies"):
//
//	pod creation → first start     n=26  p50 24 s  p90 31 s  max 36 s
//	exit → restart running         n=38  p50 7 s   p90 15 s  max 18 s
//	Killing → exit (SIGTERM)       n=34  p50 1 s   p90 2 s   max 3 s; SIGKILL: grace + 2…4 s
//	start → Ready (status delay)   n=28  p50 1 s   p90 4 s   max 7 s
//	last Unhealthy → Killing       n=48  p50 0 s   p90 1 s   max 3 s
//	Unhealthy events of one probe  1 or 3 s apart instead of 2 in 47 of 145 pairs:
//	                               truncated timestamps of events a few hundred
//	                               ms off their tick (a full second would show
//	                               in over half the pairs)
//	exec probe events (period 2)   14, 16, 17 s: runc exec adds up to ~1.5 s
//	a probe at the container start refused (app not listening yet): readiness
//	                               with no CPU limit; liveness under a 100m limit
//
// Without the suite's start slots, sixteen pods created at once took 50–75 s
// to their first start, beyond any honest window. Windows this wide would
// blur the kubelet's rules, which is why drills judge each entry one step
// ahead of what they observed (WithObserved): a slow start moves what
// follows it instead of widening it.
func DefaultKubelet() Kubelet {
	return Kubelet{
		MaxContainerRestartPeriod: defaultMaxBackOff,
		SyncFrequency:             time.Minute,
		FirstStart:                Span{500 * time.Millisecond, time.Second, 40 * time.Second},
		WorkerLead:                Span{300 * time.Millisecond, 800 * time.Millisecond, 20 * time.Second},
		RestartLatency:            Span{300 * time.Millisecond, 700 * time.Millisecond, 20 * time.Second},
		ExitLatency:               Span{0, 50 * time.Millisecond, 5 * time.Second},
		StatusDelay:               Span{0, 500 * time.Millisecond, 7 * time.Second},
		ProbeLatency:              Span{0, 0, 500 * time.Millisecond},
		ExecLatency:               Span{0, 100 * time.Millisecond, 1500 * time.Millisecond},
		ListenLatency:             Span{0, 10 * time.Millisecond, 300 * time.Millisecond},
		KillLatency:               Span{0, 50 * time.Millisecond, 3 * time.Second},
		TieMargin:                 250 * time.Millisecond,
	}
}

// WithDefaults fills zero fields from DefaultKubelet, so a caller may set
// only what differs (e.g. just MaxContainerRestartPeriod).
func (k Kubelet) WithDefaults() Kubelet {
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
		{&k.FirstStart, &d.FirstStart}, {&k.WorkerLead, &d.WorkerLead},
		{&k.RestartLatency, &d.RestartLatency}, {&k.ExitLatency, &d.ExitLatency},
		{&k.StatusDelay, &d.StatusDelay}, {&k.ProbeLatency, &d.ProbeLatency}, {&k.ExecLatency, &d.ExecLatency},
		{&k.ListenLatency, &d.ListenLatency}, {&k.KillLatency, &d.KillLatency},
	} {
		if *s.v == (Span{}) {
			*s.v = *s.def
		}
	}
	return k
}

// Envelope is k's kubelet configuration with the built-in latency spans
// (DefaultKubelet's): the widest the model allows, whatever calibration
// narrowed k's.
func (k Kubelet) Envelope() Kubelet {
	d := DefaultKubelet()
	k = k.WithDefaults()
	d.MaxContainerRestartPeriod, d.SyncFrequency, d.TieMargin, d.TimestampSlack =
		k.MaxContainerRestartPeriod, k.SyncFrequency, k.TieMargin, k.TimestampSlack
	return d
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
	}{{"FirstStart", k.FirstStart}, {"WorkerLead", k.WorkerLead}, {"RestartLatency", k.RestartLatency},
		{"ExitLatency", k.ExitLatency}, {"StatusDelay", k.StatusDelay}, {"ProbeLatency", k.ProbeLatency},
		{"ExecLatency", k.ExecLatency}, {"ListenLatency", k.ListenLatency}, {"KillLatency", k.KillLatency}} {
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
