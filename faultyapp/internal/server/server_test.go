package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/fault"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

// waitLimit guards waits for asynchronous events; it is not a performance
// threshold.
const waitLimit = 10 * time.Second

// sink collects log lines and lets a test wait for one.
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

// rig is a faultyapp server on a real loopback listener, serving HTTP/1.1
// and h2c on one port as the app does.
type rig struct {
	URL   string
	eng   *fault.Engine
	log   *sink
	exits chan int
}

func newRig(t *testing.T, mod func(*config.Config)) *rig {
	t.Helper()
	cfg := config.Default()
	cfg.HealthFile = filepath.Join(t.TempDir(), "healthy")
	mod(&cfg)
	rg := &rig{log: &sink{added: make(chan struct{}, 1)}, exits: make(chan int, 1)}
	logger := reqlog.New(rg.log)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	fx := fault.Effects{CloseListener: func() {}, Exit: func(c int) { rg.exits <- c }}
	eng, err := fault.New(ctx, cfg, logger, fx)
	if err != nil {
		t.Fatal(err)
	}
	rg.eng = eng
	// Not httptest.Server: its Close waits for every handler, and a
	// deadlocked handler never returns.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: New(eng, logger, "test-host").Handler(), Protocols: Protocols()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	rg.URL = "http://" + ln.Addr().String()
	return rg
}

// Client is an HTTP/1.1 client without keep-alive, like the kubelet's prober.
func (rg *rig) Client() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// do sends one HTTP/1.1 request and returns the status and body.
func (rg *rig) do(t *testing.T, method, path string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, rg.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := rg.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// unanswered sends a request that must get no answer: it waits for the log
// line that says so, then gives up as a probe's timeout would.
func (rg *rig) unanswered(t *testing.T, path, logLine string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rg.URL+path, nil)
	done := make(chan error, 1)
	go func() {
		resp, err := rg.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	rg.log.waitFor(t, logLine)
	select {
	case err := <-done:
		t.Fatalf("answered while it should hang (err %v)", err)
	default:
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("request succeeded after cancel")
	}
}

func TestEveryRequestIsCountedAndLogged(t *testing.T) {
	rg := newRig(t, func(c *config.Config) {})
	rg.do(t, "GET", "/")
	rg.do(t, "GET", "/healthz")
	rg.do(t, "DELETE", "/any/path")
	for _, want := range []string{"#1 GET / 200 from 127.0.0.1:", "#2 GET /healthz 200 from ", "#3 DELETE /any/path 200 from "} {
		if !strings.Contains(rg.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, rg.log.String())
		}
	}
	if rg.eng.Requests() != 3 {
		t.Errorf("counted %d requests, want 3", rg.eng.Requests())
	}
}
