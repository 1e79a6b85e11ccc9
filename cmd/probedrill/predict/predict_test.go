package predict_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/yaml"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/calibration/calibrationtest"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/predictdoc"
	"github.com/probedrill/probedrill/internal/timeline"
)

// TestMain points the calibration cache at an empty directory, so that a
// calibration the developer stored does not change what predict prints.
func TestMain(m *testing.M) { calibrationtest.Main(m) }

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
		// The third failing probe, 10 s apart, after a start at +0.33 s
		// (the shipped quiet calibration's mean): the kill at +1m20s, up
		// to 2 s later.
		"+1m20s −0s/+2s  Killing #0", "137  Error", "RESTARTS",
		"Latencies: probedrill's default calibration",
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
		"predict":                         "probedrill predict takes one scenario name or -f FILE",
		"predict seed-exec seed-http-500": "probedrill predict takes one scenario name or -f FILE, got 2 arguments",
		"predict seed-http500":            `no scenario "seed-http500"; did you mean seed-http-500?`,
		"predict seed-http-500 --max-restart-period 1h":                        "--max-restart-period 1h0m0s:",
		"predict seed-http-500 --until 0s":                                     "--until 0s: use a duration between 1s and 4h0m0s",
		"predict seed-http-500 --lang jp":                                      `--lang "jp": use en or zh`,
		"predict seed-http-500 -o wide":                                        `-o "wide": use text, json or yaml`,
		"predict seed-http-500 -f x.yaml":                                      "probedrill predict takes a scenario NAME or -f FILE, not both",
		"predict seed-http-500 --fault hang":                                   "--fault goes with -f MANIFEST (a Pod or Deployment)",
		"predict -f no-such.yaml":                                              "-f no-such.yaml: open no-such.yaml: no such file or directory",
		"predict -f ../../../examples/check/good-deployment.yaml --fault nope": "--fault nope: use fail-after, hang",
		"predict classroom-fast --calibration no-such.json":                    "--calibration: read calibration no-such.json: open no-such.json: no such file or directory",
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

func runIn(stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errOut, log bytes.Buffer
	err = app.Run(cli.NewLogger(&log, 0), cmd.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}, args)
	return out.String(), log.String() + errOut.String(), err
}

// -o json is the text's prediction for machines: the same entries, each
// with its nominal time inside its window and a cause.
func TestPredictJSONHasTheTextsEntries(t *testing.T) {
	text, _, err := run("predict", "classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := run("predict", "classroom-fast", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc predictdoc.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("-o json is not JSON: %v\n%s", err, out)
	}
	if doc.Scenario != "classroom-fast" || doc.Kubelet.Version != predict.KubernetesVersion || doc.Source != "" {
		t.Errorf("header %+v", doc)
	}
	if got, want := len(doc.Entries), strings.Count(text, " #"); got != want {
		t.Errorf("%d JSON entries, %d text rows", got, want)
	}
	for _, e := range doc.Entries {
		if e.EarliestSeconds > e.AtSeconds || e.AtSeconds > e.LatestSeconds || e.Cause.Code == "" || e.Why == "" {
			t.Errorf("entry %+v: nominal outside its window, or no cause or why", e)
		}
	}
}

// A scenario file, from disk or stdin, predicts as its catalog twin does
// (the catalog is just files); YAML says the same as JSON.
func TestPredictFromAFile(t *testing.T) {
	const file = "../../../scenarios/catalog/seed-exec.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	byName, _, err := run("predict", "seed-exec", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	fromStdin, _, err := runIn(string(data), "predict", "-f", "-", "-o", "yaml")
	if err != nil {
		t.Fatal(err)
	}
	fromFile, _, err := run("predict", "-f", file, "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var a, b, c predictdoc.Document
	if err := json.Unmarshal([]byte(byName), &a); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(fromStdin), &b); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(fromFile), &c); err != nil {
		t.Fatal(err)
	}
	if b.Source != "-" || c.Source != file {
		t.Errorf("sources %q and %q", b.Source, c.Source)
	}
	b.Source, c.Source = "", ""
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
		t.Errorf("the file's prediction differs from the catalog's")
	}
}

// A Pod or Deployment manifest: faultyapp stands in behind its probes with
// --fault, as check --stand-in drills it.
func TestPredictAManifest(t *testing.T) {
	out, _, err := run("predict", "-f", "../../../examples/check/good-deployment.yaml", "--fault", "hang", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc predictdoc.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	killed := false
	for _, e := range doc.Entries {
		if e.Kind == timeline.Killing && e.Cause.Probe == "liveness" {
			killed = true
		}
	}
	if !strings.Contains(doc.Title, "fault hang") || !killed {
		t.Errorf("a hang behind good-deployment's liveness probe should be killed: %s, %d entries", doc.Title, len(doc.Entries))
	}
}

// --calibration predicts with measured latencies: the document says so,
// and the first kill's window is narrower than the envelope's. Without
// it, predict uses the shipped default (no calibration is stored: see
// TestMain), also narrower.
func TestPredictWithACalibration(t *testing.T) {
	samples := calibration.Samples{}
	for i := range 10 {
		samples[calibration.FirstStart] = append(samples[calibration.FirstStart], time.Duration(1+i%3)*time.Second)
		samples[calibration.Restart] = append(samples[calibration.Restart], time.Duration(i%2)*time.Second)
	}
	file := filepath.Join(t.TempDir(), "calibration.json")
	if err := calibration.New(samples, calibration.Removals{}, "a test", time.Now()).Save(file); err != nil {
		t.Fatal(err)
	}
	width := func(args ...string) (calibration.Source, time.Duration) {
		t.Helper()
		out, _, err := run(append([]string{"predict", "classroom-fast", "-o", "json"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var doc predictdoc.Document
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, e := range doc.Entries {
			if e.Kind == timeline.Killing {
				return doc.Kubelet.Calibration.Source, time.Duration((e.LatestSeconds - e.EarliestSeconds) * float64(time.Second))
			}
		}
		t.Fatal("no Killing")
		return "", 0
	}
	envelope, wide := width("--calibration", "envelope")
	calibrated, narrow := width("--calibration", file)
	shipped, usual := width()
	if envelope != calibration.Envelope || calibrated != calibration.FromFile || narrow >= wide {
		t.Errorf("first Killing window: %s %v, %s %v; want file narrower than envelope", envelope, wide, calibrated, narrow)
	}
	if shipped != calibration.Default || usual >= wide {
		t.Errorf("first Killing window without --calibration: %s %v; want the default, narrower than the envelope's %v", shipped, usual, wide)
	}
}
