package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
)

// ConnectTimeout bounds reaching the API server: a paused node container
// accepts the connection and never answers.
const ConnectTimeout = 15 * time.Second

// Dial is Connect for a verb: bounded by ConnectTimeout, and when it fails it
// finds out why — no Docker engine, no cluster, a cluster that does not
// answer — and says so in one sentence with what to run. Each is a
// precondition (exit code 2): nothing was created.
func (f Flags) Dial(ctx context.Context) (*Target, error) {
	cctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	t, err := f.Connect(cctx)
	if err == nil {
		return t, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted while connecting to the cluster")
	}
	return nil, cli.Precondition(diagnose(f, err))
}

// diagnose turns a failed connection into its cause.
func diagnose(f Flags, err error) error {
	if errors.Is(err, cluster.ErrRefused) {
		return err // says what to do
	}
	unreachable := isUnreachable(err)
	if f.OptIn {
		if unreachable {
			return fmt.Errorf("the cluster does not answer (%s); check --kubeconfig and --context", cause(err))
		}
		return err
	}
	exists, perr := cluster.NewProvider().Exists()
	switch {
	case errors.Is(perr, cluster.ErrEngineNotRunning):
		return perr
	case perr == nil && !exists:
		return errors.New("the probedrill cluster does not exist; create it with `make up` (or `probedrill up`)")
	case unreachable:
		return fmt.Errorf("the probedrill cluster does not answer (%s); start it again with `probedrill up`", cause(err))
	}
	return err
}

// isUnreachable reports whether err is a network failure or a timeout, as
// opposed to an answer (or a refusal by the guard).
func isUnreachable(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) || errors.Is(err, context.DeadlineExceeded)
}

// cause is the innermost network error ("dial tcp 127.0.0.1:39123:
// connect: connection refused"), without client-go's URL and request.
func cause(err error) string {
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	return "no answer within " + ConnectTimeout.String()
}
