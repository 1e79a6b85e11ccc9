package run

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/internal/verdict"
)

func execute(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, log bytes.Buffer
	c := NewCommand(cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &log})
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&log)
	c.SilenceUsage, c.SilenceErrors = true, true
	err = c.ExecuteContext(context.Background())
	return out.String(), log.String(), err
}

// Bad input is a usage error (exit 2) found before anything is created: no
// output directory, no cluster contact.
func TestBadInputCreatesNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	missing := filepath.Join(t.TempDir(), "no-kubeconfig")
	cases := [][]string{
		{"no-such-scenario"},
		{"--label", "nope"},
		{"--label", "node-failure"},
		{"--parallel", "0"},
		{"classroom-fast", "--label", "seed"},
		{"classroom-fast", "-o", "yaml"},
	}
	for _, args := range cases {
		_, _, err := execute(t, args...)
		if err == nil || !cli.IsUsage(err) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
	// No cluster is a precondition, also exit 2.
	if _, _, err := execute(t, "classroom-fast", "--kubeconfig", missing); !cli.IsPrecondition(err) {
		t.Errorf("a missing kubeconfig: err = %v, want a precondition error", err)
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("bad input created %s", entries[0].Name())
	}
}

// -o is a format, as in kubectl; a path there (the old meaning) is told
// where it now goes.
func TestOutputIsAFormat(t *testing.T) {
	t.Chdir(t.TempDir())
	_, _, err := execute(t, "classroom-fast", "-o", "_out/lesson")
	want := `-o "_out/lesson": use text, json or junit (the directory for run.json and junit.xml is --output-dir)`
	if !cli.IsUsage(err) || err.Error() != want {
		t.Errorf("err = %v, want the usage error %q", err, want)
	}
}

func TestDoneLine(t *testing.T) {
	ok := report.ScenarioResult{Name: "classroom-fast", Duration: 92 * time.Second, Passed: true}
	if got := doneLine(ok, false); got != " ✓ classroom-fast 1m32s" {
		t.Errorf("pass line %q", got)
	}
	bad := report.ScenarioResult{Name: "seed-http-500", Duration: 310 * time.Second,
		Findings:   []verdict.Finding{{Outcome: verdict.Fail}, {Outcome: verdict.Pass}},
		Comparison: verdict.Result{Mismatched: 1}}
	if got := doneLine(bad, false); got != " ✗ seed-http-500 5m10s (1 of 2 expectations not met, 1 timeline line not as predicted)" {
		t.Errorf("fail line %q", got)
	}
	if got := doneLine(bad, true); !strings.HasPrefix(got, " \x1b[31m✗\x1b[0m seed-http-500") {
		t.Errorf("coloured fail line %q", got)
	}
}

func TestOutputDir(t *testing.T) {
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	if got := outputDir("", at); got != filepath.Join("_out", "run-20260504-100000") {
		t.Errorf("default output dir %q", got)
	}
	if got := outputDir("lesson", at); got != "lesson" {
		t.Errorf("--output-dir lesson gave %q", got)
	}
}
