// Package scenarios is probedrill's catalog of drills: one YAML file per
// scenario, embedded in the binary, decoded strictly into one Scenario type
// that the predictor, the renderer, the suites and the CLI all share.
package scenarios

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Scenario is one drill: an app that misbehaves in a known way, the pod spec
// parts that decide what the kubelet does about it, and what must be seen.
type Scenario struct {
	// Name is the catalog key and the file name without ".yaml" (DNS-1123 label).
	Name string `json:"name"`
	// Title is one line for lists and projector headings.
	Title string `json:"title"`
	// Teach explains what happens and why, one paragraph per language.
	Teach Text `json:"teach"`
	// Seed names the section of the seed chapter this scenario reproduces, if any.
	Seed string `json:"seed,omitempty"`
	// Labels are used for focus (`--label`, Ginkgo label filters).
	Labels []string `json:"labels,omitempty"`
	App    App      `json:"app"`
	Pod    Pod      `json:"pod"`
	Expect Expect   `json:"expect"`

	// File is where the scenario was read from ("scenarios/catalog/seed.yaml"),
	// set by Parse; Validate prefixes every problem with it. Not part of the YAML.
	File string `json:"-"`
}

// Text is a teaching text in English and, where the seed is the source, Chinese.
// Parse removes the space YAML folding leaves between two Chinese characters
// at a line break, so ZH may be written as a folded (`>-`) block.
type Text struct {
	EN string `json:"en"`
	ZH string `json:"zh,omitempty"`
}

// App configures faultyapp; each field maps to one faultyapp flag.
type App struct {
	// Fault is faultyapp's -fault: none, fail-after, hang, deadlock, crash,
	// slow-start, tcp-close, exec-file, leak, flaky, heavy-health, dependency,
	// auth-health, grpc.
	Fault string `json:"fault"`
	// After is -after: requests (probes included) served normally before the
	// fault; for tcp-close it counts connections (TCP probes included).
	After *int `json:"after,omitempty"`
	// AfterTime is -after-time: a counted fault also begins this long after
	// start, whichever comes first. Exec and TCP probes send no HTTP request,
	// so exec-file drills use it to remove the health file on a timer.
	AfterTime *metav1.Duration `json:"afterTime,omitempty"`
	// ExitCode is -exit-code for the crash fault.
	ExitCode *int `json:"exitCode,omitempty"`
	// Startup is -startup for slow-start: the app listens only after it.
	Startup *metav1.Duration `json:"startup,omitempty"`
	// HealthFile is -health-file for exec-file.
	HealthFile string `json:"healthFile,omitempty"`
	// P is -p for flaky: the probability that a request fails.
	P *float64 `json:"p,omitempty"`
	// Cost is -cost for heavy-health: CPU burnt per health check.
	Cost *metav1.Duration `json:"cost,omitempty"`
	// Dependency is -dependency for the dependency fault.
	Dependency string `json:"dependency,omitempty"`
	// OnSigterm is -on-sigterm: exit (143), drain (0) or ignore (SIGKILL: 137).
	OnSigterm string `json:"onSigterm,omitempty"`
	// Port is the port faultyapp listens on (default 8080).
	Port int32 `json:"port,omitempty"`
	// Resources are the container's requests and limits (CPU for heavy-health,
	// memory for leak).
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
}

// Workload kinds a scenario can be deployed as.
const (
	KindPod        = "Pod"
	KindDeployment = "Deployment"
)

// Pod holds the pod spec parts that decide what the kubelet does.
type Pod struct {
	// Kind is Pod (default) or Deployment (one replica).
	Kind string `json:"kind,omitempty"`
	// Name is the bare Pod's (or the Deployment's) name; defaults to the
	// scenario name (the seed's pod is "test2-liveness").
	Name string `json:"name,omitempty"`
	// ContainerName defaults to "faultyapp" (the seed's pod calls it "test2").
	ContainerName string `json:"containerName,omitempty"`
	// RestartPolicy defaults to Always.
	RestartPolicy corev1.RestartPolicy `json:"restartPolicy,omitempty"`
	// TerminationGracePeriodSeconds defaults to 30, as in the API.
	TerminationGracePeriodSeconds *int64        `json:"terminationGracePeriodSeconds,omitempty"`
	LivenessProbe                 *corev1.Probe `json:"livenessProbe,omitempty"`
	ReadinessProbe                *corev1.Probe `json:"readinessProbe,omitempty"`
	StartupProbe                  *corev1.Probe `json:"startupProbe,omitempty"`
	// Service, when true, puts a Service in front of the pod so readiness can be
	// seen in its EndpointSlice.
	Service bool `json:"service,omitempty"`
	// UnreachableTolerationSeconds is how long the pod stays bound to a node
	// that is NotReady or unreachable before it is evicted. Unset, the API
	// server's DefaultTolerationSeconds plugin adds 300 s (the seed's describe
	// shows "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s");
	// node-failure drills set it short. Rendered as NoExecute tolerations.
	UnreachableTolerationSeconds *int64 `json:"unreachableTolerationSeconds,omitempty"`
}

// Expect lists what a suite asserts. Every field is optional; a scenario must
// set at least one. Durations are offsets from pod creation.
type Expect struct {
	// Restarts: the restart count reaches Min by Within (and never exceeds Max
	// when set).
	Restarts *RestartCount `json:"restarts,omitempty"`
	// NoRestartsFor: the pod stays Running with 0 restarts for this long
	// (healthy apps, readiness failures).
	NoRestartsFor *metav1.Duration `json:"noRestartsFor,omitempty"`
	// CrashLoopBackOff: the container is seen waiting in CrashLoopBackOff.
	CrashLoopBackOff bool `json:"crashLoopBackOff,omitempty"`
	// BackOffSchedule: the gaps between restarts follow the predicted
	// CrashLoopBackOff schedule within its tolerance.
	BackOffSchedule bool `json:"backOffSchedule,omitempty"`
	// LastTermination: the reason and exit code of the previous instance.
	LastTermination *Termination `json:"lastTermination,omitempty"`
	// Events that must appear (exact kubelet strings; see EventExpect).
	Events []EventExpect `json:"events,omitempty"`
	// NewContainerIDs: every restart runs a new container (new container ID).
	NewContainerIDs bool `json:"newContainerIDs,omitempty"`
	// PreviousLogs: substrings that `logs --previous` must contain.
	PreviousLogs []string `json:"previousLogs,omitempty"`
	// NotReadyWithin: the pod turns NotReady (and leaves its Service's
	// endpoints) by this offset, without being restarted.
	NotReadyWithin *metav1.Duration `json:"notReadyWithin,omitempty"`
	// NodeFailure is what happens to the pod when its node goes away (the
	// seed's summary; needs a multi-node cluster): "lost" for a bare Pod,
	// "recreated" (on another node) for a Deployment's pod.
	NodeFailure string `json:"nodeFailure,omitempty"`
}

// What NodeFailure can expect.
const (
	NodeFailureLost      = "lost"
	NodeFailureRecreated = "recreated"
)

// RestartCount bounds the restart count by a deadline.
type RestartCount struct {
	Min    int              `json:"min"`
	Max    *int             `json:"max,omitempty"`
	Within *metav1.Duration `json:"within"`
}

// Termination is the expected lastState.terminated of a restarted container.
type Termination struct {
	Reason   string `json:"reason"`
	ExitCode int32  `json:"exitCode"`
}

// EventExpect is one event that must be recorded for the pod. Message is
// matched exactly after substituting {container}, {pod}, {namespace} and
// {uid}; MessageRegexp is for messages that carry runtime values such as the
// pod IP (e.g. `Get "http://10.244.0.7:8080/": context deadline exceeded`);
// the same placeholders are substituted in it (values regexp-quoted). Set
// exactly one of the two.
type EventExpect struct {
	Type          string `json:"type"`
	Reason        string `json:"reason"`
	Message       string `json:"message,omitempty"`
	MessageRegexp string `json:"messageRegexp,omitempty"`
}
