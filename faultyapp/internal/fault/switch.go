package fault

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

// Switch replaces the fault at run time (POST /fault). Side effects of the
// old fault stay: a removed file, a closed listener, leaked memory and
// deadlocked goroutines are not undone, as they would not be in a real app.
func (e *Engine) Switch(cfg config.Config) error {
	e.switching.Lock() // one switch at a time: old.timer is written by install
	defer e.switching.Unlock()
	old := e.state.Load()
	from := fmt.Sprintf("from request %d", e.requests.Load()+1)
	if err := e.install(cfg, from); err != nil {
		return err
	}
	if old.timer != nil {
		old.timer.Stop()
	}
	e.log.Eventf("control: fault %s -> %s (%s)", old.cfg.Fault, cfg.Summary(), from)
	return nil
}

// install makes cfg the fault in force; when says when, for the logs.
func (e *Engine) install(cfg config.Config, when string) error {
	st := &state{cfg: cfg, reqBase: e.requests.Load(), connBase: e.conns.Load()}
	if cfg.Fault == config.Flaky {
		st.rand = newLockedRand(cfg.Seed)
		e.log.Eventf("fault flaky: seed %d (reuse with -seed to replay)", st.rand.seed)
	}
	if cfg.Fault == config.ExecFile {
		if err := os.WriteFile(cfg.HealthFile, []byte("ok\n"), 0o644); err != nil {
			return fmt.Errorf("fault exec-file: cannot create the health file (set -health-file to a writable path): %w", err)
		}
		e.log.Eventf("fault exec-file: created %s", cfg.HealthFile)
	}
	e.state.Store(st)
	if !cfg.Fault.Counted() {
		return nil
	}
	if cfg.After == 0 {
		e.begin(st, when)
	} else if cfg.AfterTime > 0 {
		st.timer = time.AfterFunc(cfg.AfterTime, func() {
			e.begin(st, fmt.Sprintf("%v later", cfg.AfterTime))
		})
	}
	return nil
}

// begin starts st's fault, once: logs the transition and acts on the process.
func (e *Engine) begin(st *state, cause string) {
	if st.began.Load() || st.began.Swap(true) || e.state.Load() != st {
		return
	}
	cfg := st.cfg
	say := func(what string) { e.log.Eventf("fault %s: %s -> %s", cfg.Fault, cause, what) }
	switch cfg.Fault {
	case config.FailAfter:
		say("now answering 500")
	case config.Hang:
		say("requests now hang, no answer")
	case config.Deadlock:
		say("two goroutines take two mutexes in opposite order; requests block for ever")
	case config.Crash:
		say(fmt.Sprintf("exiting with code %d", cfg.ExitCode))
		e.fx.Exit(cfg.ExitCode)
	case config.TCPClose:
		e.fx.CloseListener() // first: the line below says it is done
		say("listener closed, new connections are refused")
	case config.ExecFile:
		e.removeHealthFile(cfg.HealthFile, say)
	case config.Leak:
		say(fmt.Sprintf("keeping %d MiB more every second until OOM-killed", cfg.LeakRate))
		go e.leak.Run(e.ctx, e.log)
	case config.GRPC:
		say("gRPC health now answers NOT_SERVING")
	}
}

func (e *Engine) removeHealthFile(path string, say func(string)) {
	if err := os.Remove(path); err != nil {
		say(fmt.Sprintf("could not remove %s: %v", path, err))
		return
	}
	say(fmt.Sprintf("removed %s; `faultyapp check` now exits 1", path))
}

// lockedRand is a seeded source shared by concurrent requests; only the
// flaky fault uses it, so its mutex is off every other fault's path.
type lockedRand struct {
	seed uint64
	mu   sync.Mutex
	r    *rand.Rand
}

func newLockedRand(seed uint64) *lockedRand {
	if seed == 0 {
		seed = rand.Uint64()%1_000_000 + 1 // short, so it is easy to retype
	}
	return &lockedRand{seed: seed, r: rand.New(rand.NewPCG(seed, seed))}
}

// Float64 returns the next number in [0, 1).
func (l *lockedRand) Float64() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}
