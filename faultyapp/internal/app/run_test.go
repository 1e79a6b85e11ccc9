package app

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

// waitLimit guards waits for asynchronous events; not a performance bound.
const waitLimit = 10 * time.Second

type sink struct {
	mu    sync.Mutex
	text  strings.Builder
	added chan struct{}
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.text.Write(p)
	s.mu.Unlock()
	select {
	case s.added <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *sink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text.String()
}

func (s *sink) waitFor(t *testing.T, sub string) {
	t.Helper()
	deadline := time.After(waitLimit)
	for !strings.Contains(s.String(), sub) {
		select {
		case <-s.added:
		case <-deadline:
			t.Fatalf("no log line with %q in:\n%s", sub, s.String())
		}
	}
}

// running is faultyapp run in-process, with a fake signal channel.
type running struct {
	addr   string
	log    *sink
	sigs   chan os.Signal
	result chan error
}

func start(t *testing.T, args ...string) *running {
	t.Helper()
	r := &running{log: &sink{added: make(chan struct{}, 1)}, sigs: make(chan os.Signal, 1), result: make(chan error, 1)}
	addrs := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := Deps{Stdout: r.log, Getenv: func(string) string { return "" }, Signals: r.sigs, Hostname: "test",
		Listening: func(a net.Addr) { addrs <- a }}
	go func() { r.result <- Run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), d) }()
	select {
	case a := <-addrs:
		r.addr = a.String()
	case err := <-r.result:
		t.Fatalf("Run ended before listening: %v", err)
	case <-time.After(waitLimit):
		t.Fatal("not listening")
	}
	return r
}

func (r *running) get(path string) (int, error) {
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get("http://" + r.addr + path)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.result:
		return err
	case <-time.After(waitLimit):
		t.Fatal("Run did not end")
		return nil
	}
}

func exitOf(err error) int {
	var e *Exit
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return 0
	}
	return -1
}

func TestSigtermModes(t *testing.T) {
	t.Run("exit", func(t *testing.T) {
		r := start(t)
		r.sigs <- syscall.SIGTERM
		if code := exitOf(r.wait(t)); code != 143 {
			t.Errorf("exit code %d, want 143", code)
		}
		r.log.waitFor(t, "SIGTERM: exiting with 143 at once")
	})
	t.Run("ignore", func(t *testing.T) {
		r := start(t, "-on-sigterm", "ignore")
		r.sigs <- syscall.SIGTERM
		r.log.waitFor(t, "SIGTERM: ignored")
		if code, err := r.get("/"); code != 200 {
			t.Errorf("after an ignored SIGTERM: %d %v", code, err)
		}
		r.sigs <- syscall.SIGINT
		if code := exitOf(r.wait(t)); code != 130 {
			t.Errorf("SIGINT: exit code %d, want 130", code)
		}
	})
	t.Run("drain fails health first", func(t *testing.T) {
		r := start(t, "-on-sigterm", "drain", "-drain-delay", "1h")
		r.sigs <- syscall.SIGTERM
		r.log.waitFor(t, "SIGTERM: draining")
		if code, _ := r.get("/healthz"); code != 503 {
			t.Errorf("/healthz while draining: %d, want 503", code)
		}
		if code, _ := r.get("/"); code != 200 {
			t.Errorf("/ while draining: %d, want 200", code)
		}
		r.sigs <- syscall.SIGINT
		if code := exitOf(r.wait(t)); code != 130 {
			t.Errorf("SIGINT while draining: %d, want 130", code)
		}
	})
}

func TestDrainWaitsForInFlight(t *testing.T) {
	r := start(t, "-on-sigterm", "drain", "-fault", "hang", "-after", "0")
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+r.addr+"/", nil)
	go http.DefaultClient.Do(req)
	r.log.waitFor(t, "#1 GET / hangs")
	r.sigs <- syscall.SIGTERM
	r.log.waitFor(t, "SIGTERM: draining")
	select {
	case err := <-r.result:
		t.Fatalf("drain ended (%v) with a request in flight", err)
	default:
	}
	cancel() // the client gives up; the request ends; the drain can finish
	if err := r.wait(t); err != nil {
		t.Errorf("drain: %v, want nil (exit 0)", err)
	}
	r.log.waitFor(t, "drained: exit 0")
}

func TestCrashExitCode(t *testing.T) {
	r := start(t, "-fault", "crash", "-after", "1", "-exit-code", "3")
	if code, _ := r.get("/"); code != 200 {
		t.Fatalf("first request: %d", code)
	}
	go r.get("/") // never answered
	if code := exitOf(r.wait(t)); code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	r.log.waitFor(t, "fault crash: request 2 -> exiting with code 3")
}

func TestTCPCloseKeepsProcess(t *testing.T) {
	r := start(t, "-fault", "tcp-close", "-after", "1")
	if code, _ := r.get("/"); code != 200 {
		t.Fatal("first connection refused")
	}
	r.log.waitFor(t, "fault tcp-close: connection 1 -> listener closed")
	if _, err := net.Dial("tcp", r.addr); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial after tcp-close: %v, want refused", err)
	}
	r.sigs <- syscall.SIGTERM // still alive and handling signals
	if code := exitOf(r.wait(t)); code != 143 {
		t.Errorf("exit %d, want 143", code)
	}
}

func TestSlowStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := &running{log: &sink{added: make(chan struct{}, 1)}, sigs: make(chan os.Signal, 1), result: make(chan error, 1)}
	d := Deps{Stdout: r.log, Getenv: func(string) string { return "" }, Signals: r.sigs, Hostname: "h"}
	go func() {
		r.result <- Run(context.Background(), []string{"-addr", addr, "-fault", "slow-start", "-startup", "1h"}, d)
	}()
	r.log.waitFor(t, "slow-start: waiting 1h0m0s before listening")
	if _, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial while starting: %v, want refused", err)
	}
	r.sigs <- syscall.SIGTERM
	if code := exitOf(r.wait(t)); code != 143 {
		t.Errorf("SIGTERM while starting: %d, want 143", code)
	}
}

func TestSlowStartThenServes(t *testing.T) {
	r := start(t, "-fault", "slow-start", "-startup", "1ms")
	if code, _ := r.get("/"); code != 200 {
		t.Errorf("after startup: %d", code)
	}
}

func TestExecFileAndCheck(t *testing.T) {
	file := filepath.Join(t.TempDir(), "healthy")
	r := start(t, "-fault", "exec-file", "-after", "1", "-health-file", file)
	env := func(string) string { return "" }
	if err := runCheck([]string{"-file", file}, env); err != nil {
		t.Fatalf("check at start: %v", err)
	}
	r.get("/")
	r.get("/")
	r.log.waitFor(t, "fault exec-file: request 2 -> removed "+file)
	err := runCheck([]string{"-file", file}, env)
	if exitOf(err) != 1 || !strings.Contains(err.Error(), file+" is missing") {
		t.Errorf("check after removal: %v, want exit 1 saying the file is missing", err)
	}
}

func TestLeakStartsAfterN(t *testing.T) {
	r := start(t, "-fault", "leak", "-after", "0", "-leak-rate", "1")
	r.log.waitFor(t, "fault leak: at start -> keeping 1 MiB more every second")
	r.log.waitFor(t, "leak: holding 1 MiB")
}

func TestListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := Deps{Stdout: io.Discard, Getenv: func(string) string { return "" }}
	err = Run(context.Background(), []string{"-addr", ln.Addr().String()}, d)
	if err == nil || !strings.Contains(err.Error(), "cannot listen on -addr") {
		t.Errorf("err = %v", err)
	}
}

func TestEnvironment(t *testing.T) {
	env := map[string]string{"FAULTYAPP_FAULT": "nope"}
	err := Run(context.Background(), nil, Deps{Stdout: io.Discard, Getenv: func(k string) string { return env[k] }})
	var ue *config.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `FAULTYAPP_FAULT="nope" is not a fault`) {
		t.Errorf("err = %v", err)
	}
}
