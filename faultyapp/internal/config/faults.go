package config

import "strings"

// Fault names one way faultyapp misbehaves.
type Fault string

// The faults, in the order --help lists them.
const (
	None        Fault = "none"
	FailAfter   Fault = "fail-after"
	Hang        Fault = "hang"
	Deadlock    Fault = "deadlock"
	Crash       Fault = "crash"
	SlowStart   Fault = "slow-start"
	TCPClose    Fault = "tcp-close"
	ExecFile    Fault = "exec-file"
	Leak        Fault = "leak"
	Flaky       Fault = "flaky"
	HeavyHealth Fault = "heavy-health"
	Dependency  Fault = "dependency"
	AuthHealth  Fault = "auth-health"
	GRPC        Fault = "grpc"
)

// faultHelp is the one-line description of each fault, in --help order.
var faultHelp = []struct {
	fault Fault
	help  string
}{
	{None, `answer 200 "You've hit <hostname>" on every path`},
	{FailAfter, "after -after requests, answer 500 on every path (the seed app)"},
	{Hang, "after -after requests, never answer (the handler blocks)"},
	{Deadlock, "after -after requests, deadlock two mutexes in the request path"},
	{Crash, "after -after requests, exit with -exit-code (no answer)"},
	{SlowStart, "listen only after -startup"},
	{TCPClose, "after -after connections, close the listener (TCP probes fail)"},
	{ExecFile, "create -health-file, remove it after -after requests"},
	{Leak, "after -after requests, grow memory by -leak-rate until OOM-killed"},
	{Flaky, "fail each request with probability -p"},
	{HeavyHealth, "/healthz burns -cost of CPU time before answering"},
	{Dependency, "/healthz fails while -dependency is unreachable (anti-pattern)"},
	{AuthHealth, "/healthz needs 'Authorization: Bearer <-token>', else 401 (anti-pattern)"},
	{GRPC, "after -after requests, gRPC health answers NOT_SERVING"},
}

// Faults lists every fault, in --help order.
func Faults() []Fault {
	out := make([]Fault, len(faultHelp))
	for i, f := range faultHelp {
		out[i] = f.fault
	}
	return out
}

func faultList() string {
	names := make([]string, len(faultHelp))
	for i, f := range faultHelp {
		names[i] = string(f.fault)
	}
	return strings.Join(names, ", ")
}

// Counted reports whether the fault starts only after -after requests (or
// -after-time); the others misbehave from the first request.
func (f Fault) Counted() bool {
	switch f {
	case FailAfter, Hang, Deadlock, Crash, TCPClose, ExecFile, Leak, GRPC:
		return true
	}
	return false
}

// Sigterm is what faultyapp does on SIGTERM.
type Sigterm string

// The SIGTERM modes.
const (
	SigtermExit   Sigterm = "exit"
	SigtermDrain  Sigterm = "drain"
	SigtermIgnore Sigterm = "ignore"
)

const sigtermList = "exit, drain, ignore"
