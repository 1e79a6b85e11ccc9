package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/internal/cli"
)

func TestUnreachableErrorsAreTheNetworkOnes(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	cases := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("Get https://127.0.0.1:1/api: %w", refused), true},
		{fmt.Errorf("listing: %w", context.DeadlineExceeded), true},
		{errors.New(`refusing kube context "prod"`), false},
	}
	for _, c := range cases {
		if got := isUnreachable(c.err); got != c.want {
			t.Errorf("isUnreachable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	if got := cause(fmt.Errorf("wrapped: %w", refused)); !strings.Contains(got, "connection refused") || strings.Contains(got, "wrapped") {
		t.Errorf("cause = %q, want the innermost network error only", got)
	}
}

func TestOptInClusterThatDoesNotAnswerNamesTheFlags(t *testing.T) {
	err := diagnose(Flags{OptIn: true}, fmt.Errorf("x: %w", context.DeadlineExceeded))
	if !strings.Contains(err.Error(), "--kubeconfig") || !strings.Contains(err.Error(), "does not answer") {
		t.Errorf("diagnose = %q, want a sentence naming --kubeconfig and --context", err)
	}
}

// A --calibration file that cannot be read is the user's to fix: a usage
// error naming it, found before any connection (the kubeconfig here does
// not exist, so connecting would fail differently).
func TestBadCalibrationFailsBeforeConnecting(t *testing.T) {
	bad := t.TempDir() + "/missing.json"
	f := Flags{Kubeconfig: t.TempDir() + "/no-kubeconfig", Calibration: bad}
	_, err := f.Connect(context.Background())
	if !cli.IsUsage(err) || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "--calibration") {
		t.Errorf("Connect = %v, want a usage error naming --calibration and %s", err, bad)
	}
}
