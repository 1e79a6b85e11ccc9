package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

func TestHealthz(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer up.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }))
	defer broken.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	gone := httptest.NewServer(nil)
	gone.Close()

	cases := []struct {
		name     string
		mod      func(*config.Config)
		hdr      []string
		code     int
		body     string
		logEntry string
	}{
		{"none", func(c *config.Config) {}, nil, 200, "ok\n", "#1 GET /healthz 200 from"},
		{"heavy-health", func(c *config.Config) { c.Fault, c.Cost = config.HeavyHealth, 5*time.Millisecond }, nil,
			200, "ok\n", "#1 GET /healthz 200 burned 5ms CPU in "},
		{"dependency up", func(c *config.Config) { c.Fault, c.Dependency = config.Dependency, up.URL }, nil, 200, "ok\n", "200 from"},
		{"dependency 5xx", func(c *config.Config) { c.Fault, c.Dependency = config.Dependency, broken.URL }, nil,
			503, "dependency down: " + broken.URL + " answered 502\n", "503 dependency down"},
		{"dependency unreachable", func(c *config.Config) { c.Fault, c.Dependency = config.Dependency, gone.URL }, nil,
			503, "dependency down: " + gone.URL + " unreachable\n", "503 dependency down"},
		{"dependency slow", func(c *config.Config) {
			c.Fault, c.Dependency, c.DependencyTimeout = config.Dependency, slow.URL, 20*time.Millisecond
		}, nil, 503, "dependency down: " + slow.URL + " did not answer within 20ms\n", "503 dependency down"},
		{"auth-health without token", func(c *config.Config) { c.Fault = config.AuthHealth }, nil,
			401, "unauthorized: /healthz needs a bearer token\n", "401 no token"},
		{"auth-health wrong token", func(c *config.Config) { c.Fault = config.AuthHealth }, []string{"Authorization", "Bearer nope"},
			401, "unauthorized: /healthz needs a bearer token\n", "401 no token"},
		{"auth-health with token", func(c *config.Config) { c.Fault, c.Token = config.AuthHealth, "s3" }, []string{"Authorization", "Bearer s3"},
			200, "ok\n", "200 from"},
		{"grpc fault leaves HTTP health alone", func(c *config.Config) { c.Fault, c.After = config.GRPC, 0 }, nil, 200, "ok\n", "200 from"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t, tc.mod)
			code, body := rg.do(t, "GET", "/healthz", tc.hdr...)
			if code != tc.code || body != tc.body {
				t.Errorf("got %d %q, want %d %q", code, body, tc.code, tc.body)
			}
			rg.log.waitFor(t, tc.logEntry)
		})
	}
}

func TestHealthzUnauthorizedSaysBearer(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault = config.AuthHealth })
	resp, err := rg.Client().Get(rg.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate = %q", got)
	}
}

func TestHealthzFailsWhileDraining(t *testing.T) {
	rg := newRig(t, func(c *config.Config) {})
	rg.eng.Drain()
	if code, body := rg.do(t, "GET", "/healthz"); code != 503 || body != "shutting down\n" {
		t.Errorf("got %d %q", code, body)
	}
	if code, _ := rg.do(t, "GET", "/"); code != 200 {
		t.Errorf("/ while draining: %d, want 200 (in-flight work goes on)", code)
	}
}
