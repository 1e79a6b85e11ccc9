package calibrate_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/cmd/probedrill/calibrate"
	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/calibration/calibrationtest"
	"github.com/probedrill/probedrill/internal/cli"
)

// Bad flags are usage errors found before any connection: the kubeconfig
// named does not exist, so connecting would fail otherwise.
func TestBadFlagsFailBeforeConnecting(t *testing.T) {
	noConfig := filepath.Join(t.TempDir(), "kubeconfig")
	for _, args := range [][]string{
		{"--runs", "2"},
		{"--runs", "50"},
		{"--calibration", "default"},
		{"--output-file", filepath.Join(t.TempDir(), "missing", "c.json")},
	} {
		var out, log bytes.Buffer
		err := app.Run(cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &log},
			append([]string{"calibrate", "--kubeconfig", noConfig}, args...))
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("calibrate %v: %v, want a usage error naming %s", args, err, args[0])
		}
	}
}

// The summary shows each latency the model reads with its span, where the
// calibration went, and the first kill's window it gives next to the
// default's.
func TestSummary(t *testing.T) {
	samples := calibration.Samples{}
	for i := range 6 {
		samples[calibration.FirstStart] = append(samples[calibration.FirstStart], time.Duration(1+i%2)*time.Second)
		samples[calibration.Status] = append(samples[calibration.Status], 0)
		for range 3 {
			samples[calibration.Restart] = append(samples[calibration.Restart], time.Duration(i%2)*time.Second)
			samples[calibration.Exit] = append(samples[calibration.Exit], 0)
			samples[calibration.Kill] = append(samples[calibration.Kill], 0)
		}
	}
	f := calibration.New(samples, calibration.Removals{}, "a test", time.Now())
	if thin := f.Thin(); len(thin) != 0 {
		t.Fatalf("thin %v", thin)
	}
	var out bytes.Buffer
	if err := calibrate.Summary(&out, f, "/cache/x.json"); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"firstStart  6", "1.5s", // six samples of 1 s and 2 s: mean 1.5 s
		"restart     18", "0s … 500ms … 2s", // 0 and 1 s: mean 0.5 s, max 1 s + 1 s
		"Stored in /cache/x.json.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	// Slower first starts (1–2 s) than the quiet default's (0–1 s): the
	// first kill's window closes later.
	m := regexp.MustCompile(`classroom-fast's first Killing: \+16s…\+(\d+)s with the default calibration, \+16s…\+(\d+)s with this one\.`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no first Killing sentence:\n%s", text)
	}
	if def, this := atoi(t, m[1]), atoi(t, m[2]); this <= def {
		t.Errorf("first Killing closes at +%ds under this calibration, +%ds under the default; want later", this, def)
	}
	if strings.Contains(text, "ready") {
		t.Errorf("the summary shows a latency the model does not read:\n%s", text)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMain(m *testing.M) { calibrationtest.Main(m) }
