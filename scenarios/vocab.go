package scenarios

import (
	"slices"
	"strings"
)

// The faults faultyapp knows (faultyapp -help, faultyapp/internal/config).
const (
	FaultNone        = "none"
	FaultFailAfter   = "fail-after"
	FaultHang        = "hang"
	FaultDeadlock    = "deadlock"
	FaultCrash       = "crash"
	FaultSlowStart   = "slow-start"
	FaultTCPClose    = "tcp-close"
	FaultExecFile    = "exec-file"
	FaultLeak        = "leak"
	FaultFlaky       = "flaky"
	FaultHeavyHealth = "heavy-health"
	FaultDependency  = "dependency"
	FaultAuthHealth  = "auth-health"
	FaultGRPC        = "grpc"
)

// Faults lists every fault, in faultyapp's --help order.
func Faults() []string {
	return []string{
		FaultNone, FaultFailAfter, FaultHang, FaultDeadlock, FaultCrash,
		FaultSlowStart, FaultTCPClose, FaultExecFile, FaultLeak, FaultFlaky,
		FaultHeavyHealth, FaultDependency, FaultAuthHealth, FaultGRPC,
	}
}

// Counted reports whether the fault begins only after App.After requests
// (connections for tcp-close) or App.AfterTime, as faultyapp's -after says.
func Counted(fault string) bool {
	switch fault {
	case FaultFailAfter, FaultHang, FaultDeadlock, FaultCrash, FaultTCPClose,
		FaultExecFile, FaultLeak, FaultGRPC:
		return true
	}
	return false
}

// HealthzOnly reports whether the fault lives only in GET /healthz: a probe
// on any other path never sees it.
func HealthzOnly(fault string) bool {
	switch fault {
	case FaultHeavyHealth, FaultDependency, FaultAuthHealth:
		return true
	}
	return false
}

// HealthzPath is faultyapp's health endpoint.
const HealthzPath = "/healthz"

// SIGTERM modes (faultyapp -on-sigterm).
const (
	SigtermExit   = "exit"   // exit at once: 128+15 = 143
	SigtermDrain  = "drain"  // finish in-flight requests, exit 0
	SigtermIgnore = "ignore" // wait for SIGKILL after the grace period: 128+9 = 137
)

// SigtermModes lists the SIGTERM modes.
func SigtermModes() []string { return []string{SigtermExit, SigtermDrain, SigtermIgnore} }

// Labels: the fixed vocabulary for Scenario.Labels, Ginkgo label filters and
// `probedrill list --label`.
const (
	LabelSeed        = "seed"         // reproduces a section of the seed chapter
	LabelLiveness    = "liveness"     // has a liveness probe
	LabelReadiness   = "readiness"    // has a readiness probe
	LabelStartup     = "startup"      // has a startup probe
	LabelHTTP        = "http"         // some probe uses httpGet
	LabelTCP         = "tcp"          // some probe uses tcpSocket
	LabelExec        = "exec"         // some probe uses exec
	LabelGRPC        = "grpc"         // some probe uses grpc
	LabelExitCodes   = "exit-codes"   // asserts an exit code and reason
	LabelBackoff     = "backoff"      // asserts CrashLoopBackOff or its schedule
	LabelEvents      = "events"       // asserts exact event messages
	LabelAntiPattern = "anti-pattern" // a probe the seed warns against
	LabelHealthy     = "healthy"      // nothing may be restarted
	LabelSlow        = "slow"         // needs more than SlowAfter to run
	LabelTimeout     = "timeout"      // a probe fails by timeoutSeconds
	LabelOOM         = "oom"          // the container is OOMKilled
	LabelWorkload    = "workload"     // bare Pod vs Deployment
	LabelNodeFailure = "node-failure" // needs a multi-node cluster
	LabelGrace       = "grace-period" // about terminationGracePeriodSeconds
	LabelClassroom   = "classroom"    // short timings for a live class
)

// Labels lists the vocabulary.
func Labels() []string {
	return []string{
		LabelSeed, LabelLiveness, LabelReadiness, LabelStartup, LabelHTTP,
		LabelTCP, LabelExec, LabelGRPC, LabelExitCodes, LabelBackoff,
		LabelEvents, LabelAntiPattern, LabelHealthy, LabelSlow, LabelTimeout,
		LabelOOM, LabelWorkload, LabelNodeFailure, LabelGrace, LabelClassroom,
	}
}

// SeedSections are the headings of the seed chapter, as written there.
func SeedSections() []string {
	return []string{
		"19.什么是存活探针", "1.什么是存活探针", "2.创建HTTP GET存活探针",
		"3.使用存活探针", "4.配置存活探针的附加属性", "5.创建有效的存活探针",
		"存活探针应该检查什么", "轻量级的存活探针", "不必在探针中实现重试机制", "总结",
	}
}

// eventType returns the type of a kubelet event reason a scenario may expect
// (pkg/kubelet/events/event.go, v1.37.2).
func eventType(reason string) (string, bool) {
	switch reason {
	case "Unhealthy", "ProbeWarning", "BackOff":
		return "Warning", true
	case "Killing", "Started", "Created", "Pulled":
		return "Normal", true
	}
	return "", false
}

// eventReasons lists the reasons eventType knows.
func eventReasons() []string {
	return []string{"Unhealthy", "ProbeWarning", "BackOff", "Killing", "Started", "Created", "Pulled"}
}

// Placeholders may appear in EventExpect messages; the observer substitutes them.
func Placeholders() []string { return []string{"{container}", "{pod}", "{namespace}", "{uid}"} }

func oneOf(v string, allowed []string) bool { return slices.Contains(allowed, v) }

func list(allowed []string) string { return strings.Join(allowed, ", ") }
