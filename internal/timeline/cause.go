package timeline

import "time"

// Cause is why a predicted entry happens, for machines: the Why sentence's
// facts without its words, so a CI gate or another tool can branch on them
// (docs/predict.md lists every code and the fields it sets).
type Cause struct {
	// Code is one of the Cause* constants.
	Code string `json:"code"`
	// Probe is the probe type (liveness, readiness, startup) behind a
	// probe failure, a kill or a readiness flip.
	Probe string `json:"probe,omitempty"`
	// Failure is which consecutive failure a probe failure is (1-based),
	// Threshold that probe's failureThreshold (or successThreshold for
	// CauseReadinessPassed).
	Failure   int `json:"failure,omitempty"`
	Threshold int `json:"threshold,omitempty"`
	// Detail says how a probe failed (a ProbeDetail* value) or, on a kill
	// under restartPolicy Never, that the whole pod is stopped.
	Detail string `json:"detail,omitempty"`
	// HTTPStatus is the status code of an HTTP probe failure.
	HTTPStatus int `json:"httpStatus,omitempty"`
	// FaultBeganAt is set on the probe failure whose request began
	// faultyapp's fault: that request's number (faultyapp counts probes too).
	FaultBeganAt int `json:"faultBeganAt,omitempty"`
	// Restart is which restart a start is (restartCount after it).
	Restart int `json:"restart,omitempty"`
	// BackOff is the back-off the kubelet compares against (a hold-back or
	// a start), Grace the grace period of a kill or an exit.
	BackOff time.Duration `json:"backOff,omitempty"`
	Grace   time.Duration `json:"grace,omitempty"`
	// OtherBackOffs are the other back-offs a hold-back may state in runs
	// the model explains as well (one whose earlier kill found the exited
	// container deleted did not move the back-off on), shortest first.
	OtherBackOffs []time.Duration `json:"otherBackOffs,omitempty"`
	// ExitCode is the exit code of a termination.
	ExitCode *int32 `json:"exitCode,omitempty"`
}

// Cause codes of a predicted entry. Each names the kubelet rule (or
// faultyapp behaviour) that makes the entry happen.
const (
	// Started.
	CauseFirstStart        = "first-start"           // the pod's first container
	CauseStartNoExited     = "start-no-exited"       // no exited container to back off from: the kill's own sync
	CauseStartRemoved      = "start-removed"         // the exited container was already removed: the kill's own sync
	CauseStartDeleted      = "start-deleted"         // ran in the kill's sync before the back-off ended
	CauseStartNoBackOff    = "start-no-backoff"      // no back-off recorded yet: at once
	CauseStartExpired      = "start-backoff-expired" // ran 10 min: back-off forgotten, at once
	CauseStartLongAgo      = "start-backoff-passed"  // the last exit is older than the back-off: at once
	CauseStartAfterBackOff = "start-after-backoff"   // held back by CrashLoopBackOff, then started

	// Unhealthy.
	CauseProbeFailed = "probe-failed"

	// Killing.
	CauseFailureThreshold = "failure-threshold"

	// Terminated.
	CauseExitAtSIGTERM     = "exit-at-sigterm"     // 143: the app exits at SIGTERM
	CauseDrained           = "drained"             // 0 Completed: the app drains and exits
	CauseSIGKILLAfterGrace = "sigkill-after-grace" // 137: SIGTERM ignored, SIGKILL after the grace period
	CauseDrainStuck        = "drain-stuck"         // 137: a drain outlasts the grace period
	CauseOOMKilled         = "oom-killed"          // 137 OOMKilled: the memory limit
	CauseAppExit           = "app-exit"            // the app exits by itself

	// BackOff.
	CauseCrashLoopBackOff = "crash-loop-backoff"

	// Ready and NotReady.
	CauseReadinessPassed = "readiness-passed"
	CauseReadinessFailed = "readiness-failed"
	CauseNotRunning      = "not-running"
)

// How a probe failed (Cause.Detail of CauseProbeFailed).
const (
	ProbeDetailHTTPStatus = "http-status" // an HTTP status outside 200–399 (HTTPStatus)
	ProbeDetailTimeout    = "timeout"     // no answer within timeoutSeconds
	ProbeDetailRefused    = "refused"     // nothing listens
	ProbeDetailEOF        = "eof"         // the process died mid-request
	ProbeDetailExitCode   = "exit-code"   // the exec command exited non-zero
	ProbeDetailNotServing = "not-serving" // gRPC health NOT_SERVING
	ProbeDetailFailed     = "failed"      // any other failure

	// KillDetailPodStopped (Cause.Detail of CauseFailureThreshold): under
	// restartPolicy Never nothing is left to run, so the whole pod stops.
	KillDetailPodStopped = "pod-stopped"
)
