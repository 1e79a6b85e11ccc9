package predict

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/scenarios"
)

// This file models faultyapp as its fault engine behaves
// (faultyapp/internal/fault/engine.go, server/*.go):
//   - every HTTP or gRPC request is counted, probes included; a counted fault
//     begins with request after+1 (or at -after-time, whichever comes
//     first) and stays on; -after 0 begins at start;
//   - tcp-close counts accepted connections instead: the after-th is served,
//     then the listener closes;
//   - heavy-health, dependency and auth-health live in GET /healthz only;
//   - a TCP probe only connects and an exec probe runs `faultyapp check`
//     inside the container, so neither sends a request.
// A new container is a new process: counts and timers start again.

// process is one container instance of faultyapp.
type process struct {
	n        int // the restart count when it started
	start    time.Duration
	listen   time.Duration // when it accepts connections
	exitAt   time.Duration // FinishedAt, valid once exited
	exited   bool
	forced   bool // stopped because the next instance was observed running
	requests int  // counted requests
	conns    int  // accepted connections
	began    bool
	faultAt  time.Duration // when the counted fault began
	closed   bool          // tcp-close: the listener is closed
	fileGone bool          // exec-file: the health file is removed
}

// failure says how a probe failed; the kubelet's event text follows from it.
type failure int

const (
	noFailure  failure = iota
	badStatus          // HTTP status ≥ 400
	timedOut           // no answer within timeoutSeconds
	refused            // nothing listens
	eof                // the process died mid-request
	execFailed         // `faultyapp check` exited non-zero
	notServing         // gRPC NOT_SERVING
)

// outcome is what one probe gets from the process.
type outcome struct {
	ok      bool
	latency time.Duration // probe start → result
	fail    failure
	code    int  // HTTP status for badStatus
	request int  // the request number faultyapp logs; 0 if not counted
	began   bool // this request started the counted fault
}

// effect is what beginning a fault does to the process, for the simulation.
type effect int

const (
	noEffect effect = iota
	exitNow         // crash: the process exits with -exit-code
	leakOOM         // leak: the memory limit kills it later
)

func (a app) counted() bool { return scenarios.Counted(a.fault) }

// timer is when a counted fault begins on its own for a process started at
// start: at once with -after 0, or -after-time later; false when requests
// begin it.
func (a app) timer(start time.Duration) (time.Duration, bool) {
	switch {
	case !a.counted():
	case a.after == 0:
		return start, true
	case a.afterTime > 0:
		return start + a.afterTime, true
	}
	return 0, false
}

// fileGoneBy reports whether exec-file's health file is gone by t: already,
// or by the fault's timer.
func (a app) fileGoneBy(p *process, t time.Duration) bool {
	if p.fileGone {
		return true
	}
	at, timed := a.timer(p.start)
	return a.fault == scenarios.FaultExecFile && timed && at <= t
}

// begin starts the counted fault once (engine.go begin).
func (p *process) begin(a app, at time.Duration) effect {
	if p.began || p.exited {
		return noEffect
	}
	p.began, p.faultAt = true, at
	switch a.fault {
	case scenarios.FaultCrash:
		return exitNow
	case scenarios.FaultTCPClose:
		p.closed = true
	case scenarios.FaultExecFile:
		p.fileGone = true
	case scenarios.FaultLeak:
		return leakOOM
	}
	return noEffect
}

// respond is what probe ps sees at t from process p (nil: none running).
// It counts the request and may begin the fault; the caller applies eff.
func respond(p *process, a app, ps *probeSpec, t time.Duration) (out outcome, eff effect) {
	if ps.handler == execAction {
		return execOutcome(p), noEffect
	}
	listening := p != nil && !p.exited && ps.port == a.port && !p.closed && t >= p.listen &&
		!(a.fault == scenarios.FaultSlowStart && t < p.start+a.startup)
	if !listening {
		return refusedOutcome(ps), noEffect
	}
	p.conns++
	if a.fault == scenarios.FaultTCPClose && p.conns >= a.after {
		eff = p.begin(a, t)
	}
	if ps.handler == tcpSocket {
		return outcome{ok: true}, eff
	}
	p.requests++
	out = outcome{request: p.requests}
	if a.counted() && a.fault != scenarios.FaultTCPClose && !p.began && p.requests > a.after {
		out.began = true
		eff = p.begin(a, t)
	}
	return answer(p, a, ps, out), eff
}

// answer applies the fault's verdict (engine.go requestVerdict) and then the
// health check (server/health.go check) to a counted request.
func answer(p *process, a app, ps *probeSpec, out outcome) outcome {
	if o, decided := faultVerdict(p, a, ps, out); decided {
		return o
	}
	return healthCheck(a, ps, out)
}

// faultVerdict is what a begun counted fault does to any request.
func faultVerdict(p *process, a app, ps *probeSpec, out outcome) (outcome, bool) {
	if !p.began {
		return out, false
	}
	switch a.fault {
	case scenarios.FaultFailAfter:
		return failWith(out, ps, 500), true
	case scenarios.FaultHang, scenarios.FaultDeadlock:
		return timeoutOutcome(out, ps), true
	case scenarios.FaultCrash:
		out.fail = eof
		return out, true
	case scenarios.FaultGRPC:
		return failWith(out, ps, 500), ps.handler == grpcCheck
	}
	return out, false
}

// healthCheck: flaky fails any request; the anti-pattern faults live in
// /healthz (and gRPC health) only.
func healthCheck(a app, ps *probeSpec, out outcome) outcome {
	health := ps.handler == grpcCheck || ps.path == scenarios.HealthzPath
	switch {
	case a.fault == scenarios.FaultFlaky && a.p > 0:
		return failWith(out, ps, 500) // every request fails: the bound of flaky.go
	case !health:
	case a.fault == scenarios.FaultHeavyHealth && a.healthWall > ps.timeout:
		return timeoutOutcome(out, ps)
	case a.fault == scenarios.FaultHeavyHealth:
		out.latency = a.healthWall
	case a.fault == scenarios.FaultDependency:
		return failWith(out, ps, 503)
	case a.fault == scenarios.FaultAuthHealth && !ps.authorized:
		return failWith(out, ps, 401)
	}
	out.ok = true
	return out
}

// failWith answers an HTTP status (gRPC health says NOT_SERVING instead).
func failWith(out outcome, ps *probeSpec, code int) outcome {
	out.fail, out.code = badStatus, code
	if ps.handler == grpcCheck {
		out.fail, out.code = notServing, 0
	}
	return out
}

// timeoutOutcome: the probe's client gives up after timeoutSeconds.
func timeoutOutcome(out outcome, ps *probeSpec) outcome {
	out.fail, out.latency = timedOut, ps.timeout
	return out
}

// refusedOutcome: HTTP and TCP dials fail at once; a gRPC probe dials with
// WithBlock and retries until its timeout (pkg/probe/grpc/grpc.go Probe).
func refusedOutcome(ps *probeSpec) outcome {
	out := outcome{fail: refused}
	if ps.handler == grpcCheck {
		out.latency = ps.timeout
	}
	return out
}

// execOutcome: `faultyapp check` exits 1 once exec-file removed the file.
func execOutcome(p *process) outcome {
	if p.fileGone {
		return outcome{fail: execFailed}
	}
	return outcome{ok: true}
}

// detail is the text after "<Type> probe failed: " in the Unhealthy event
// (pkg/kubelet/prober/prober.go, pkg/probe/http, tcp, grpc). Runtime values
// are placeholders, as in scenarios.EventExpect: {podIP}.
func detail(o outcome, ps *probeSpec) string {
	url := fmt.Sprintf(`Get "http://{podIP}:%d%s": `, ps.port, ps.path)
	dial := fmt.Sprintf("dial tcp {podIP}:%d: connect: connection refused", ps.port)
	switch {
	case o.fail == badStatus:
		return fmt.Sprintf("HTTP probe failed with statuscode: %d", o.code)
	case o.fail == notServing:
		return `service unhealthy (responded with "NOT_SERVING")`
	case ps.handler == tcpSocket:
		return dial
	case ps.handler != httpGet:
		return "" // exec output and gRPC dial errors are not modelled
	case o.fail == timedOut:
		return url + "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
	case o.fail == refused:
		return url + dial
	case o.fail == eof:
		return url + "EOF"
	}
	return ""
}
