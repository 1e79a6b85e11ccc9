package predict_test

import (
	"bytes"
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

func TestPredictNeedsNoCluster(t *testing.T) {
	out, _, err := run("predict", "seed-http-500")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Liveness: http-get http://:8080/ delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3",
		"Killing #0", "+1m20s", "137  Error", "RESTARTS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestPredictInChinese(t *testing.T) {
	out, _, err := run("predict", "seed-http-500", "--lang", "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"存活探针", "重启", "退出码 137"} {
		if !strings.Contains(out, want) {
			t.Errorf("zh output lacks %q:\n%s", want, out)
		}
	}
}

func TestMaxRestartPeriodShortensTheBackOff(t *testing.T) {
	out, _, err := run("predict", "seed-crash-loop", "--max-restart-period", "20s", "--until", "3m")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "back-off 20s") {
		t.Errorf("a 20s cap should show in the back-off entries:\n%s", out)
	}
}

func TestBadInputExitsWith2(t *testing.T) {
	for args, want := range map[string]string{
		"predict":              "probedrill predict takes one scenario name, got 0 arguments",
		"predict seed-http500": `no scenario "seed-http500"; did you mean seed-http-500?`,
		"predict seed-http-500 --max-restart-period 1h": "--max-restart-period 1h0m0s:",
		"predict seed-http-500 --until 0s":              "--until 0s: use a duration between 1s and 4h0m0s",
		"predict seed-http-500 --lang jp":               `--lang "jp": use en or zh`,
	} {
		_, stderr, err := run(strings.Fields(args)...)
		if err == nil || app.ExitCode(err) != app.ExitUsage {
			t.Errorf("%s: err %v, want exit code 2", args, err)
			continue
		}
		if !strings.Contains(stderr, "ERROR: "+want) || strings.Count(stderr, "ERROR") != 1 {
			t.Errorf("%s: stderr must say %q once:\n%s", args, want, stderr)
		}
	}
}
