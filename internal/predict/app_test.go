package predict

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/scenarios"
)

// TestRespond checks the faultyapp model request by request against what
// its fault engine does (faultyapp/internal/fault/engine.go, server/*.go).
func TestRespond(t *testing.T) {
	get := func(path string) *probeSpec {
		return &probeSpec{handler: httpGet, port: 8080, path: path, timeout: time.Second}
	}
	tcp := &probeSpec{handler: tcpSocket, port: 8080, timeout: time.Second}
	grpc := &probeSpec{handler: grpcCheck, port: 8080, timeout: time.Second}
	exec := &probeSpec{handler: execAction, timeout: time.Second}
	type want struct {
		ok      bool
		fail    failure
		code    int
		latency time.Duration
		request int
	}
	cases := []struct {
		name  string
		app   app
		probe *probeSpec
		calls int  // probes sent before the one checked
		want  want // what the last probe gets
	}{
		{"fail-after: the 5th request still passes", app{fault: "fail-after", after: 5}, get("/"), 4, want{ok: true, request: 5}},
		{"fail-after: the 6th answers 500", app{fault: "fail-after", after: 5}, get("/"), 5, want{fail: badStatus, code: 500, request: 6}},
		{"fail-after on /healthz too", app{fault: "fail-after", after: 0}, get("/healthz"), 0, want{fail: badStatus, code: 500, request: 1}},
		{"hang: the probe times out", app{fault: "hang", after: 1}, get("/"), 1, want{fail: timedOut, latency: time.Second, request: 2}},
		{"deadlock: the probe times out", app{fault: "deadlock", after: 1}, get("/"), 1, want{fail: timedOut, latency: time.Second, request: 2}},
		{"crash: no answer", app{fault: "crash", after: 2}, get("/"), 2, want{fail: eof, request: 3}},
		{"tcp probe sends no request", app{fault: "fail-after", after: 0}, tcp, 3, want{ok: true}},
		{"tcp-close: the after-th connection is served", app{fault: "tcp-close", after: 3}, tcp, 2, want{ok: true}},
		{"tcp-close: then refused", app{fault: "tcp-close", after: 3}, tcp, 3, want{fail: refused}},
		{"exec-file: the file is there", app{fault: "exec-file", after: 2}, exec, 5, want{ok: true}},
		{"grpc: NOT_SERVING after N checks", app{fault: "grpc", after: 2}, grpc, 2, want{fail: notServing, request: 3}},
		{"grpc fault leaves HTTP alone", app{fault: "grpc", after: 0}, get("/"), 0, want{ok: true, request: 1}},
		{"heavy-health under a CPU limit", app{fault: "heavy-health", healthWall: 2500 * time.Millisecond}, get("/healthz"), 0, want{fail: timedOut, latency: time.Second, request: 1}},
		{"heavy-health without a limit", app{fault: "heavy-health", healthWall: 250 * time.Millisecond}, get("/healthz"), 0, want{ok: true, latency: 250 * time.Millisecond, request: 1}},
		{"heavy-health spares /", app{fault: "heavy-health", healthWall: 2500 * time.Millisecond}, get("/"), 0, want{ok: true, request: 1}},
		{"dependency: 503 on /healthz", app{fault: "dependency"}, get("/healthz"), 0, want{fail: badStatus, code: 503, request: 1}},
		{"auth-health: 401 without a token", app{fault: "auth-health"}, get("/healthz"), 0, want{fail: badStatus, code: 401, request: 1}},
		{"flaky p=0 never fails", app{fault: "flaky", p: 0}, get("/"), 0, want{ok: true, request: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.app.port = 8080
			p := &process{}
			if c.app.after == 0 && c.app.counted() {
				p.begin(c.app, 0) // -after 0 begins at start
			}
			for range c.calls {
				respond(p, c.app, c.probe, 0)
			}
			o, _ := respond(p, c.app, c.probe, 0)
			got := want{ok: o.ok, fail: o.fail, code: o.code, latency: o.latency, request: o.request}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestRespondStates covers the process states that no request causes.
func TestRespondStates(t *testing.T) {
	a := app{fault: "slow-start", startup: 30 * time.Second, port: 8080}
	get := &probeSpec{handler: httpGet, port: 8080, path: "/", timeout: 2 * time.Second}
	p := &process{start: 10 * time.Second}
	if o, _ := respond(p, a, get, 39*time.Second); o.fail != refused || o.request != 0 {
		t.Errorf("slow-start before -startup: got %+v, want refused and not counted", o)
	}
	if o, _ := respond(p, a, get, 40*time.Second); !o.ok {
		t.Errorf("slow-start after -startup: got %+v, want ok", o)
	}
	wrongPort := &probeSpec{handler: httpGet, port: 9090, path: "/", timeout: time.Second}
	if o, _ := respond(p, a, wrongPort, time.Hour); o.fail != refused {
		t.Errorf("a port faultyapp does not serve: got %+v, want refused", o)
	}
	grpc := &probeSpec{handler: grpcCheck, port: 8080, timeout: 3 * time.Second}
	if o, _ := respond(nil, a, grpc, 0); o.fail != refused || o.latency != 3*time.Second {
		t.Errorf("gRPC with nothing listening: got %+v, want refused after the 3s timeout (WithBlock)", o)
	}
	ex := app{fault: "exec-file", after: 1, port: 8080}
	p = &process{}
	respond(p, ex, get, 0)
	if _, eff := respond(p, ex, get, 0); eff != noEffect || !p.fileGone {
		t.Errorf("exec-file: the 2nd request should remove the file")
	}
	if o := execOutcome(p); o.fail != execFailed {
		t.Errorf("exec probe after the file is gone: got %+v, want execFailed", o)
	}
	if _, eff := respond(&process{}, app{fault: "crash", after: 0, port: 8080}, get, 0); eff != exitNow {
		t.Errorf("crash -after 0: the first request should exit the process")
	}
	if eff := (&process{}).begin(app{fault: scenarios.FaultLeak}, 0); eff != leakOOM {
		t.Errorf("leak: beginning should schedule the OOM kill")
	}
}
