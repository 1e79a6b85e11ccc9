package server

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

// TestGRPCGoClient checks faultyapp's hand-written gRPC health against
// grpc-go's health client (what the kubelet's gRPC prober uses), through the
// helper module in testdata/grpcprobe. It needs grpc-go in the module cache
// and skips otherwise: `go -C faultyapp/internal/server/testdata/grpcprobe
// mod download` enables it. grpc stays out of the main go.mod.
func TestGRPCGoClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a grpc-go client: skipped with -short")
	}
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After = config.GRPC, 1 })
	addr := strings.TrimPrefix(rg.URL, "http://")
	probe := func() string {
		cmd := exec.Command("go", "run", ".", addr)
		cmd.Dir = "testdata/grpcprobe"
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "GOPROXY=off") || strings.Contains(string(out), "missing go.sum") {
				t.Skipf("grpc-go is not in the module cache: %s", firstLine(out))
			}
			t.Fatalf("grpcprobe: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := probe(); got != "status: SERVING" {
		t.Errorf("first check: %q, want SERVING", got)
	}
	if got := probe(); got != "status: NOT_SERVING" {
		t.Errorf("second check: %q, want NOT_SERVING", got)
	}
	rg.log.waitFor(t, "#2 POST /grpc.health.v1.Health/Check 200 NOT_SERVING from 127.0.0.1:")
	rg.log.waitFor(t, "kube-probe/1.37")
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}
