package check_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/calibration/calibrationtest"
	"github.com/probedrill/probedrill/internal/cli"
)

const examples = "../../../examples/check/"

// run runs the whole command line in-process, as the binary would.

// TestMain keeps --dry-run predictions off a calibration the developer stored.
func TestMain(m *testing.M) { calibrationtest.Main(m) }

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := app.Run(cli.NewLogger(&errOut, 0), cmd.IOStreams{Out: &out, ErrOut: &errOut}, args)
	if err != nil {
		code = app.ExitCode(err)
	}
	return out.String(), errOut.String(), code
}

// write puts a user file in a temporary directory.
func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// kubeconfig writes a kubeconfig whose current context is name, pointing at
// server, and points $KUBECONFIG at it.
func kubeconfig(t *testing.T, name, server string) {
	t.Helper()
	path := write(t, "kubeconfig", `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "`+server+`"}
users:
- name: u
  user: {token: x}
contexts:
- name: `+name+`
  context: {cluster: c, user: u}
current-context: `+name+"\n")
	t.Setenv("KUBECONFIG", path)
	t.Setenv("HOME", t.TempDir())
}

// TestExitCodes: 0 when every fault is as it should be, 1 when a probe
// misses a fault or kills a healthy app, 2 when nothing could be checked.
func TestExitCodes(t *testing.T) {
	noHandler := write(t, "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web\n        livenessProbe: {periodSeconds: 5}\n")
	noProbe := write(t, "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web\n")
	exec := write(t, "exec.yaml", "livenessProbe:\n  exec: {command: [cat, /tmp/healthy]}\n")
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string // a fragment stdout must hold ("" for none at all)
		stderr string // a fragment of the one ERROR line
	}{
		{"good config passes", []string{"check", examples + "good-deployment.yaml", "--dry-run", "--stand-in"}, 0, "PASS: 5 of 5 faults", ""},
		{"the seed kills a slow start", []string{"check", examples + "seed-probe.yaml", "--dry-run", "--stand-in"}, 1, "slow-start    listens after 30s",
			"the probes failed 1 of 5 faults: slow-start (killed a healthy app)"},
		{"only the faults asked for", []string{"check", examples + "seed-probe.yaml", "--dry-run", "--stand-in", "--faults", "hang,fail-after"}, 0, "PASS: 2 of 2 faults", ""},
		{"a heavy check times out", []string{"check", examples + "heavy-health-timeout.yaml", "--dry-run", "--stand-in"}, 1, "raise it to ≥ 4",
			"heavy-health (killed a healthy app)"},
		{"no handler", []string{"check", noHandler, "--dry-run", "--stand-in"}, 2, "",
			"deploy.yaml: spec.template.spec.containers[0].livenessProbe: no handler; set httpGet, tcpSocket, exec or grpc"},
		{"exec is refused", []string{"check", exec, "--stand-in"}, 2, "", "livenessProbe.exec: an exec probe runs your command inside your image"},
		{"missing file", []string{"check", "nope.yaml"}, 2, "", "nope.yaml: cannot be read (no such file or directory)"},
		{"no file", []string{"check"}, 2, "", "check needs the manifests to check"},
		{"unknown fault", []string{"check", examples + "seed-probe.yaml", "--stand-in", "--faults", "crash"}, 2, "", `--faults: "crash" is not a fault check runs`},
		{"bad CPU limit", []string{"check", examples + "seed-probe.yaml", "--stand-in", "--cpu-limit", "lots"}, 2, "", `--cpu-limit "lots"`},
		{"a bare probe needs the stand-in", []string{"check", examples + "seed-probe.yaml"}, 2, "",
			"seed-probe.yaml: is a bare probe: there is no image to run; give the Pod or Deployment manifest, or pass --stand-in"},
		{"faultyapp's faults need the stand-in", []string{"check", examples + "good-deployment.yaml", "--faults", "hang"}, 2, "",
			`--faults: "hang" is not a fault check measures on your own app (cold-start, crash, freeze, cpu-starve, port-blocked, dependency-cut); faultyapp's faults`},
		{"no dry run of your own app", []string{"check", examples + "good-deployment.yaml", "--dry-run"}, 2, "",
			"--dry-run shapes faultyapp standing in for your app: add --stand-in"},
		{"no calibration for your own app", []string{"check", examples + "good-deployment.yaml", "--calibration", "envelope"}, 2, "",
			"--calibration sets the latencies faultyapp's predicted timeline uses; the check of your own app measures instead of predicting: add --stand-in"},
		{"no probe at all", []string{"check", noProbe}, 2, "", "deploy.yaml: spec.template.spec.containers[0]: container web has no probe"},
		{"unknown output format", []string{"check", examples + "good-deployment.yaml", "-o", "yaml"}, 2, "", `-o "yaml": use text, json or junit`},
		{"too many starts", []string{"check", examples + "good-deployment.yaml", "--starts", "0"}, 2, "", "--starts 0: use 1 to 20"},
		{"no own-app flag with the stand-in", []string{"check", examples + "good-deployment.yaml", "--stand-in", "--dry-run", "--duration", "1m"}, 2, "",
			"--duration shapes the check of your own app; faultyapp standing in (--stand-in) does not use it"},
		{"--expect-restart names a survivable fault", []string{"check", examples + "good-deployment.yaml", "--expect-restart", "freeze"}, 2, "",
			`--expect-restart: "freeze" is not a fault an app may be expected to die of (cpu-starve, dependency-cut)`},
		{"--dependency is HOST:PORT", []string{"check", examples + "good-deployment.yaml", "--dependency", "redis"}, 2, "",
			`--dependency "redis": want HOST:PORT, e.g. redis:6379`},
		{"--dependency names a Service of the input", []string{"check", examples + "good-deployment.yaml", "--dependency", "db:5432"}, 2, "",
			"--dependency db:5432: db is not an IP address or a Service the workload talks to (the input defines none)"},
		{"--starve-to is a percentage", []string{"check", examples + "good-deployment.yaml", "--starve-to", "0"}, 2, "", "--starve-to 0: use 1 to 100"},
		{"negative minutes", []string{"check", examples + "seed-probe.yaml", "--stand-in", "--minutes", "-1"}, 2, "", "--minutes -1: use more than 0 and at most 60"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := run(t, c.args...)
			if code != c.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, stdout, stderr)
			}
			if c.stdout == "" && stdout != "" || !strings.Contains(stdout, c.stdout) {
				t.Errorf("stdout lacks %q:\n%s", c.stdout, stdout)
			}
			if n := strings.Count(stderr, "ERROR"); n != min(c.code, 1) {
				t.Errorf("ERROR printed %d times:\n%s", n, stderr)
			}
			if !strings.Contains(stderr, c.stderr) {
				t.Errorf("stderr lacks %q:\n%s", c.stderr, stderr)
			}
		})
	}
}

// TestRefusesAClusterNotProbedrills: the guard runs before anything is
// created (even with no Docker engine); a cluster that does not answer is a
// precondition, exit 2, whose hint depends on what is missing.
func TestRefusesAClusterNotProbedrills(t *testing.T) {
	kubeconfig(t, "prod", "https://10.0.0.1:6443")
	_, stderr, code := run(t, "check", examples+"seed-probe.yaml", "--stand-in")
	if code != 2 || !strings.Contains(stderr, `refusing kube context "prod"`) || !strings.Contains(stderr, "--i-know-this-is-not-kind") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	kubeconfig(t, "kind-probedrill", "https://127.0.0.1:1")
	_, stderr, code = run(t, "check", examples+"good-deployment.yaml")
	hinted := strings.Contains(stderr, "probedrill up") || strings.Contains(stderr, "the Docker engine is not running")
	if code != 2 || !hinted {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}

func TestJSON(t *testing.T) {
	stdout, _, code := run(t, "check", examples+"seed-probe.yaml", "--dry-run", "--stand-in", "-o", "json")
	var report struct {
		Pass          bool `json:"pass"`
		DryRun        bool `json:"dryRun"`
		FalseRestarts int  `json:"falseRestarts"`
		Faults        []struct {
			Fault, Result string
			Predicted     struct{ Restarts int } `json:"predicted"`
		} `json:"faults"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if code != 1 || report.Pass || !report.DryRun || len(report.Faults) != 5 || report.Faults[3].Result != "fail" {
		t.Fatalf("exit %d, report %+v", code, report)
	}
	// The seed's probe kills the 30 s slow start (the only false restarts).
	if n := report.Faults[3].Predicted.Restarts; report.FalseRestarts != n || n < 1 {
		t.Errorf("falseRestarts %d, want the slow start's %d (at least 1)", report.FalseRestarts, n)
	}
}
