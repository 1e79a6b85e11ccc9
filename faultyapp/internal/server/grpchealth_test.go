package server

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/grpcwire"
)

// h2c is a stdlib client speaking HTTP/2 with prior knowledge over plain
// TCP, as grpc-go (and so the kubelet's gRPC prober) does.
func h2c() *http.Client {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: &http.Transport{Protocols: &p}}
}

type grpcReply struct {
	code    int    // HTTP status
	grpc    string // grpc-status, from the trailers or a trailers-only reply
	message []byte // the response message, unframed
	proto   int
}

func (rg *rig) grpcCall(t *testing.T, method string, body []byte, hdr ...string) grpcReply {
	t.Helper()
	req, _ := http.NewRequest("POST", rg.URL+method, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("TE", "trailers")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := h2c().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := grpcReply{code: resp.StatusCode, grpc: resp.Trailer.Get("Grpc-Status"), proto: resp.ProtoMajor}
	if r.grpc == "" {
		r.grpc = resp.Header.Get("Grpc-Status") // trailers-only
	}
	if len(raw) > 0 {
		if r.message, err = grpcwire.ReadMessage(bytes.NewReader(raw)); err != nil {
			t.Fatalf("response framing: %v (% x)", err, raw)
		}
	}
	return r
}

func checkRequest(service string) []byte {
	return grpcwire.AppendMessage(nil, grpcwire.EncodeCheckRequest(service))
}

func (rg *rig) check(t *testing.T, hdr ...string) (int, grpcReply) {
	t.Helper()
	r := rg.grpcCall(t, grpcwire.CheckPath, checkRequest(""), hdr...)
	if r.proto != 2 {
		t.Fatalf("answered over HTTP/%d, want h2c", r.proto)
	}
	status, err := grpcwire.DecodeCheckResponse(r.message)
	if err != nil {
		t.Fatal(err)
	}
	return status, r
}

func TestGRPCServing(t *testing.T) {
	rg := newRig(t, func(c *config.Config) {})
	r := rg.grpcCall(t, grpcwire.CheckPath, checkRequest("liveness"))
	if r.code != 200 || r.grpc != "0" || !bytes.Equal(r.message, []byte{0x08, 0x01}) {
		t.Errorf("got %+v, want 200, grpc-status 0, message 08 01 (SERVING)", r)
	}
	rg.log.waitFor(t, "#1 POST /grpc.health.v1.Health/Check 200 SERVING from")
}

func TestGRPCFaultGoesNotServing(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After = config.GRPC, 2 })
	var got []int
	for range 2 {
		s, _ := rg.check(t)
		got = append(got, s)
	}
	if code, _ := rg.do(t, "GET", "/"); code != 200 { // request 3: HTTP is unaffected
		t.Errorf("GET / under the grpc fault: %d", code)
	}
	s, r := rg.check(t)
	got = append(got, s)
	if got[0] != grpcwire.Serving || got[1] != grpcwire.Serving || got[2] != grpcwire.NotServing || r.grpc != "0" {
		t.Errorf("statuses %v (grpc-status %s), want SERVING SERVING NOT_SERVING with status 0", got, r.grpc)
	}
	rg.log.waitFor(t, "#4 POST /grpc.health.v1.Health/Check 200 NOT_SERVING from")
}

func TestGRPCFollowsOtherFaults(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After = config.FailAfter, 0 })
	if s, _ := rg.check(t); s != grpcwire.NotServing {
		t.Errorf("fail-after: %s, want NOT_SERVING", grpcwire.StatusName(s))
	}
	rg = newRig(t, func(c *config.Config) {})
	rg.eng.Drain()
	if s, _ := rg.check(t); s != grpcwire.NotServing {
		t.Errorf("draining: %s, want NOT_SERVING", grpcwire.StatusName(s))
	}
}

func TestGRPCAuthHealth(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.Token = config.AuthHealth, "s3" })
	r := rg.grpcCall(t, grpcwire.CheckPath, checkRequest(""))
	if r.grpc != "16" || r.message != nil {
		t.Errorf("without token: %+v, want trailers-only UNAUTHENTICATED (16)", r)
	}
	if s, _ := rg.check(t, "Authorization", "Bearer s3"); s != grpcwire.Serving {
		t.Errorf("with token: %s", grpcwire.StatusName(s))
	}
}

func TestGRPCErrors(t *testing.T) {
	rg := newRig(t, func(c *config.Config) {})
	if r := rg.grpcCall(t, "/grpc.health.v1.Health/Watch", checkRequest("")); r.grpc != "12" {
		t.Errorf("Watch: grpc-status %q, want 12 UNIMPLEMENTED", r.grpc)
	}
	if r := rg.grpcCall(t, grpcwire.CheckPath, []byte{0, 0, 0}); r.grpc != "3" {
		t.Errorf("short body: grpc-status %q, want 3 INVALID_ARGUMENT", r.grpc)
	}
	req, _ := http.NewRequest("POST", rg.URL+grpcwire.CheckPath, bytes.NewReader(checkRequest("")))
	req.Header.Set("Content-Type", "application/grpc")
	resp, err := rg.Client().Do(req) // HTTP/1.1
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("gRPC over HTTP/1.1: %d, want 415", resp.StatusCode)
	}
}
