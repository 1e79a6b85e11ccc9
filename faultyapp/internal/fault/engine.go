// Package fault decides, request by request, what faultyapp's current fault
// does: it counts every request (and, for tcp-close, every connection), starts
// a counted fault once -after is passed, and carries out its side effects.
package fault

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

// Kind is what a request asks for; some faults hit only one kind.
type Kind int

// The kinds of request.
const (
	App     Kind = iota // any path but the ones below, e.g. GET /
	Health              // GET /healthz
	GRPC                // grpc.health.v1.Health/Check
	Control             // /fault: counted, but never faulted nor a trigger
)

// Verdict is what the fault makes of one request.
type Verdict int

// The verdicts.
const (
	Serve    Verdict = iota // answer normally (health faults may still fail it)
	Fail                    // answer unhealthy: HTTP 500, gRPC NOT_SERVING
	Hang                    // never answer
	Deadlock                // block on the deadlocked mutexes
	Crash                   // the process is exiting: never answer
)

// Effects are what a fault needs from the rest of the process.
type Effects struct {
	CloseListener func()         // tcp-close: stop accepting connections
	Exit          func(code int) // crash: end the process with code
}

// Call is one counted request.
type Call struct {
	N       int64          // the request's number, from 1
	Cfg     *config.Config // the settings in force for it; do not modify
	Verdict Verdict
}

// Engine is safe for concurrent use; its hot path is lock-free (atomics).
type Engine struct {
	ctx       context.Context // ends the leak and the -after-time timers
	log       *reqlog.Logger
	fx        Effects
	requests  atomic.Int64
	conns     atomic.Int64
	state     atomic.Pointer[state]
	draining  atomic.Bool
	lock      lockPair
	leak      *Leaker
	switching sync.Mutex // serializes Switch; never on the request path
}

// state is one fault as set at start or by POST /fault. Counts are taken
// relative to the moment it was set, so "-after 3" means three more requests.
type state struct {
	cfg      config.Config
	reqBase  int64
	connBase int64
	began    atomic.Bool // the counted fault has begun
	timer    *time.Timer // -after-time
	rand     *lockedRand // flaky
}

// New returns an engine running cfg. It creates the exec-file health file,
// so it can fail; a fault with -after 0 begins at once.
func New(ctx context.Context, cfg config.Config, log *reqlog.Logger, fx Effects) (*Engine, error) {
	e := &Engine{ctx: ctx, log: log, fx: fx, leak: NewLeaker(cfg.LeakRate)}
	if err := e.install(cfg, "at start"); err != nil {
		return nil, err
	}
	return e, nil
}

// Config returns the settings in force.
func (e *Engine) Config() config.Config { return e.state.Load().cfg }

// Requests returns how many requests have been counted.
func (e *Engine) Requests() int64 { return e.requests.Load() }

// Request counts one request of kind k and says what to do with it.
func (e *Engine) Request(k Kind) Call {
	st := e.state.Load()
	n := e.requests.Add(1)
	c := Call{N: n, Cfg: &st.cfg}
	f := st.cfg.Fault
	switch {
	case k == Control: // the way out of a hang or deadlock must stay open // tcp-close counts connections instead: see Conn
	case f == config.Flaky:
		if st.rand.Float64() < st.cfg.P {
			c.Verdict = Fail
		}
	case f.Counted() && f != config.TCPClose && (st.began.Load() || n-st.reqBase > st.cfg.After):
		// (tcp-close counts connections instead: see Conn)
		if !st.began.Load() {
			e.begin(st, fmt.Sprintf("request %d", n))
		}
		c.Verdict = requestVerdict(f, k)
	}
	return c
}

// requestVerdict maps a fault that has begun to what requests of kind k see.
// tcp-close, exec-file and leak act on the process, not on answers.
func requestVerdict(f config.Fault, k Kind) Verdict {
	switch f {
	case config.FailAfter:
		return Fail
	case config.Hang:
		return Hang
	case config.Deadlock:
		return Deadlock
	case config.Crash:
		return Crash
	case config.GRPC:
		if k == GRPC {
			return Fail
		}
	}
	return Serve
}

// Conn counts one accepted TCP connection. Under tcp-close connections are
// what count, since a TCP probe sends no request: announce is called with
// the connection's number (to log it), and the Nth connection is served,
// then the listener closes.
func (e *Engine) Conn(announce func(n int64)) {
	st := e.state.Load()
	n := e.conns.Add(1)
	if st.cfg.Fault != config.TCPClose {
		return
	}
	announce(n)
	if n-st.connBase >= st.cfg.After {
		e.begin(st, fmt.Sprintf("connection %d", n))
	}
}

// Drain marks health as failing, for -on-sigterm drain.
func (e *Engine) Drain() { e.draining.Store(true) }

// Draining reports whether health must fail because the app is shutting down.
func (e *Engine) Draining() bool { return e.draining.Load() }

// Deadlock blocks the calling request for ever on the deadlocked mutexes.
func (e *Engine) Deadlock() { e.lock.enter() }

// Leaked returns the bytes the leak fault holds.
func (e *Engine) Leaked() int64 { return e.leak.Held() }
