package demo_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
)

func run(args ...string) (stdout, stderr string, err error) {
	var out, errOut, log bytes.Buffer
	err = app.Run(cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &errOut}, args)
	return out.String(), log.String() + errOut.String(), err
}

// TestBadInputExitsWith2 covers input refused before anything is created:
// each error is one sentence with a hint, printed once, exit code 2.
func TestBadInputExitsWith2(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"demo"}, "probedrill demo takes one scenario name, got 0 arguments; `probedrill list` shows the names"},
		{[]string{"demo", "a", "b"}, "probedrill demo takes one scenario name, got 2 arguments"},
		{[]string{"demo", "clasroom-fast"}, `no scenario "clasroom-fast"; did you mean classroom-fast? (` + "`probedrill list`" + ` shows them all)`},
		{[]string{"demo", "classroom-fast", "--lang", "fr"}, `--lang "fr": use en or zh`},
		{[]string{"demo", "classroom-fast", "--for", "-1s"}, "--for -1s: use a duration between 1s and 15m0s"},
		{[]string{"demo", "classroom-fast", "--for", "1h"}, "--for 1h0m0s: use a duration between 1s and 15m0s"},
		{[]string{"demo", "classroom-fast", "--fast"}, "unknown flag: --fast"},
		{[]string{"dmeo", "classroom-fast"}, `unknown command "dmeo" for "probedrill"`},
	}
	for _, c := range cases {
		_, stderr, err := run(c.args...)
		if err == nil || app.ExitCode(err) != app.ExitUsage {
			t.Errorf("%q: err %v, want exit code %d", c.args, err, app.ExitUsage)
			continue
		}
		if !strings.Contains(stderr, "ERROR: "+c.want) || strings.Count(stderr, "ERROR") != 1 {
			t.Errorf("%q: stderr must say %q once:\n%s", c.args, c.want, stderr)
		}
	}
}

// TestUnreachableClusterExitsWith2 points the demo at a kubeconfig whose
// probedrill context has nothing listening: whatever the host has (no
// Docker, Docker without the cluster), it is a precondition, said in one
// sentence, and nothing is created.
func TestUnreachableClusterExitsWith2(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kubeconfig, []byte(deadCluster), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := run("demo", "classroom-fast", "--plain", "--kubeconfig", kubeconfig)
	if err == nil || app.ExitCode(err) != app.ExitUsage {
		t.Fatalf("err %v, want exit code %d", err, app.ExitUsage)
	}
	if strings.Count(stderr, "ERROR") != 1 || !strings.Contains(stderr, "make up") && !strings.Contains(stderr, "probedrill up") && !strings.Contains(stderr, "make deps") {
		t.Errorf("stderr must name the cause once, with what to run:\n%s", stderr)
	}
	if strings.Contains(stderr, "Starting") {
		t.Errorf("nothing may be started on an unreachable cluster:\n%s", stderr)
	}
}

// deadCluster is a kubeconfig for probedrill's context on a port where
// nothing listens (port 1 on the loopback).
const deadCluster = `apiVersion: v1
kind: Config
current-context: kind-probedrill
clusters:
- name: kind-probedrill
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: kind-probedrill
  context:
    cluster: kind-probedrill
    user: kind-probedrill
users:
- name: kind-probedrill
  user:
    token: none
`
