package app

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/klog/v2"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
)

func run(args ...string) (stdout, stderr string, err error) {
	var out, errOut, log bytes.Buffer
	err = Run(cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &errOut}, args)
	return out.String(), log.String() + errOut.String(), err
}

func TestUsageErrorsExitWith2(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"up", "--profile", "huge"}, `--profile "huge": use single or multi`},
		{[]string{"up", "--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"up", "extra"}, `unknown command "extra" for "probedrill up"`},
		{[]string{"down", "now"}, `unknown command "now" for "probedrill down"`},
		{[]string{"fly"}, `unknown command "fly" for "probedrill"`},
		{[]string{"up", "--max-restart-period", "soon"}, `invalid argument "soon"`},
	}
	for _, c := range cases {
		_, stderr, err := run(c.args...)
		if err == nil {
			t.Errorf("%q: want an error", c.args)
			continue
		}
		if got := ExitCode(err); got != ExitUsage {
			t.Errorf("%q: exit code %d, want %d (%v)", c.args, got, ExitUsage, err)
		}
		if !strings.Contains(stderr, "ERROR: "+c.want) {
			t.Errorf("%q: stderr %q lacks %q", c.args, stderr, c.want)
		}
		if n := strings.Count(stderr, "ERROR"); n != 1 {
			t.Errorf("%q: the error must be printed once, got %d times:\n%s", c.args, n, stderr)
		}
	}
}

func TestExitCodes(t *testing.T) {
	if got := ExitCode(cluster.ErrEngineNotRunning); got != ExitUsage {
		t.Errorf("engine not running: %d", got)
	}
	if got := ExitCode(errors.New("kubeadm init failed")); got != ExitFailure {
		t.Errorf("a failure: %d", got)
	}
	if got := ExitCode(nil); got != 0 {
		t.Errorf("success: %d", got)
	}
}

func TestHelpListsTheVerbs(t *testing.T) {
	stdout, _, err := run("--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"up ", "down "} {
		if !strings.Contains(stdout, verb) {
			t.Errorf("help lacks %q:\n%s", verb, stdout)
		}
	}
}

func TestQuietSilencesStderr(t *testing.T) {
	_, stderr, err := run("-q", "up", "--profile", "huge")
	if err == nil || stderr != "" {
		t.Errorf("got err %v, stderr %q", err, stderr)
	}
}

func TestKlogErrorsAreDebugLines(t *testing.T) {
	var out bytes.Buffer
	logger := cli.NewLogger(&out, 0)
	routeKlog(logger)
	defer klog.ClearLogger()
	klog.ErrorS(errors.New("connection refused"), "An error occurred forwarding")
	klog.Flush()
	if out.Len() != 0 {
		t.Errorf("at -v 0 klog must be silent, got %q", out.String())
	}
	logger.SetVerbosity(1)
	klog.ErrorS(errors.New("connection refused"), "An error occurred forwarding")
	if !strings.Contains(out.String(), "An error occurred forwarding") {
		t.Errorf("at -v 1 klog's lines show, got %q", out.String())
	}
}

// TestVersion: --version names probedrill's build and what it drills, so
// that a bug report says which Kubernetes and faultyapp it was.
func TestVersion(t *testing.T) {
	stdout, _, err := run("--version")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"probedrill ", "Kubernetes " + cluster.KubernetesVersion, "faultyapp probedrill/faultyapp:"} {
		if !strings.HasPrefix(stdout, "probedrill ") || !strings.Contains(stdout, want) {
			t.Errorf("--version says %q, want it to contain %q", stdout, want)
		}
	}
}

// TestFlagUsagesHaveNoBackticks: pflag takes a `quoted` word in a usage
// string as the flag's value name, and the help then shows
// "--until demo" for a duration flag.
func TestFlagUsagesHaveNoBackticks(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if strings.Contains(f.Usage, "`") {
				t.Errorf("%s --%s: usage %q has a backtick", c.CommandPath(), f.Name, f.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCommand(cli.NewLogger(io.Discard, 0), cmd.IOStreams{Out: io.Discard, ErrOut: io.Discard}))
}
