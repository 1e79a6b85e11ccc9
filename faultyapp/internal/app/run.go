package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/fault"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
	"github.com/probedrill/probedrill/faultyapp/internal/server"
)

// Run runs faultyapp (or its check subcommand) until a signal, a crash
// fault or ctx ends it. An *Exit error carries the exit code to use.
func Run(ctx context.Context, args []string, d Deps) error {
	if len(args) > 0 && args[0] == "check" {
		return runCheck(args[1:], d.Getenv)
	}
	cfg, err := config.Parse(args, d.Getenv)
	if err != nil {
		return err
	}
	a := &app{cfg: cfg, d: d, log: reqlog.New(d.Stdout), exits: make(chan int, 1)}
	defer a.log.Flush() // the last lines must be out before os.Exit
	return a.run(ctx)
}

type app struct {
	cfg       config.Config
	d         Deps
	log       *reqlog.Logger
	exits     chan int    // from the crash fault
	tcpClosed atomic.Bool // the tcp-close fault closed the listener: not an error
}

func (a *app) run(ctx context.Context) error {
	a.logStart()
	if done, err := a.waitStartup(ctx); done {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on -addr %s: %w", a.cfg.Addr, err)
	}
	srv := &http.Server{Protocols: server.Protocols(), ReadHeaderTimeout: time.Minute}
	engCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	eng, err := fault.New(engCtx, a.cfg, a.log, a.effects(ln, srv))
	if err != nil {
		ln.Close()
		return err
	}
	srv.Handler = server.New(eng, a.log, a.d.Hostname).Handler()
	a.log.Eventf("listening on %s (HTTP/1.1, and gRPC health over h2c)", ln.Addr())
	if a.d.Listening != nil {
		a.d.Listening(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(&server.Listener{Listener: ln, Eng: eng, Log: a.log}) }()
	return a.loop(ctx, srv, eng, served)
}

// logStart writes the first line of the story: the version and the setup.
func (a *app) logStart() {
	control := ""
	if a.cfg.Control {
		control = " control=on (POST /fault)"
	}
	a.log.Eventf("faultyapp %s starting: host=%s %s on-sigterm=%s%s", Version, a.d.Hostname,
		a.cfg.Summary(), a.cfg.OnSigterm, control)
}

func (a *app) effects(ln net.Listener, srv *http.Server) fault.Effects {
	return fault.Effects{
		CloseListener: func() {
			a.tcpClosed.Store(true)
			srv.SetKeepAlivesEnabled(false) // open connections end after their answer
			ln.Close()
		},
		Exit: func(code int) {
			select {
			case a.exits <- code:
			default: // already exiting
			}
		},
	}
}

// loop waits for whatever ends the process.
func (a *app) loop(ctx context.Context, srv *http.Server, eng *fault.Engine, served <-chan error) error {
	for {
		select {
		case code := <-a.exits:
			return &Exit{Code: code}
		case err := <-served:
			if !a.tcpClosed.Load() {
				return fmt.Errorf("serving: %w", err)
			}
			served = nil // the process lives on without a listener
		case sig := <-a.d.Signals:
			if done, err := a.onSignal(sig, srv, eng); done {
				return err
			}
		case <-ctx.Done():
			srv.Close()
			return nil
		}
	}
}

// onSignal carries out -on-sigterm and reports whether the process ends.
func (a *app) onSignal(sig os.Signal, srv *http.Server, eng *fault.Engine) (bool, error) {
	if sig != syscall.SIGTERM {
		a.log.Eventf("%v: exiting with 130", sig)
		return true, &Exit{Code: 130}
	}
	switch eng.Config().OnSigterm {
	case config.SigtermIgnore:
		a.log.Event("SIGTERM: ignored (-on-sigterm ignore); the kubelet will SIGKILL after the grace period: exit 137")
		return false, nil
	case config.SigtermDrain:
		return true, a.drain(srv, eng)
	}
	// A process killed by SIGTERM is reported as 128+15; faultyapp exits
	// with that code itself, since as PID 1 it cannot die of the signal.
	a.log.Event("SIGTERM: exiting with 143 at once (-on-sigterm exit)")
	return true, &Exit{Code: 143}
}

// drain fails health first (podinfo does the same), waits -drain-delay so
// readiness can take the pod out of Services, then lets in-flight requests
// finish. A deadlocked request never finishes: then the kubelet's SIGKILL
// ends it (137), as it would a real app. SIGINT still exits at once.
func (a *app) drain(srv *http.Server, eng *fault.Engine) error {
	eng.Drain()
	a.log.Eventf("SIGTERM: draining (-on-sigterm drain): /healthz fails now; closing in %v, then finishing in-flight requests; exit 0", a.cfg.DrainDelay)
	done := make(chan error, 1)
	go func() {
		time.Sleep(a.cfg.DrainDelay)
		done <- srv.Shutdown(context.Background())
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("draining: %w", err)
			}
			a.log.Event("drained: exit 0")
			return nil
		case sig := <-a.d.Signals:
			if sig != syscall.SIGTERM {
				a.log.Eventf("%v while draining: exiting with 130", sig)
				return &Exit{Code: 130}
			}
			a.log.Event("SIGTERM again: still draining")
		}
	}
}

// waitStartup is slow-start: no listener for -startup. Signals are handled
// as usual meanwhile. done reports that the process must end with err.
func (a *app) waitStartup(ctx context.Context) (done bool, err error) {
	if a.cfg.Startup == 0 {
		return false, nil
	}
	a.log.Eventf("slow-start: waiting %v before listening on %s (connections are refused until then)", a.cfg.Startup, a.cfg.Addr)
	t := time.NewTimer(a.cfg.Startup)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			return false, nil
		case <-ctx.Done():
			return true, nil
		case sig := <-a.d.Signals:
			if sig == syscall.SIGTERM && a.cfg.OnSigterm == config.SigtermIgnore {
				a.log.Event("SIGTERM: ignored (-on-sigterm ignore) while starting")
				continue
			}
			if sig == syscall.SIGTERM && a.cfg.OnSigterm == config.SigtermDrain {
				a.log.Event("SIGTERM while starting: nothing to drain; exit 0")
				return true, nil
			}
			code := 130
			if sig == syscall.SIGTERM {
				code = 143
			}
			a.log.Eventf("%v while starting: exiting with %d", sig, code)
			return true, &Exit{Code: code}
		}
	}
}
