package probecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/scenarios"
)

// examplesDir holds the user files shipped as examples.
const examplesDir = "../../examples/check"

func readExample(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// prepared runs Prepare with the default kubelet, failing the test on error.
func prepared(t *testing.T, yaml string, edit func(*Options)) *Check {
	t.Helper()
	in, err := Parse("f.yaml", []byte(yaml), "")
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Kubelet = predict.DefaultKubelet()
	if edit != nil {
		edit(&o)
	}
	k, err := Prepare(in, o)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// verdicts: per fault, "ok", "FAIL" or "n/a", as the report shows them.
type verdicts map[string]string

// TestPredictedVerdicts: each fault's synthetic scenario validates (Prepare
// runs scenarios.Validate and drill.Prepare) and the predictor decides the
// verdict expected for well-known probe configurations.
func TestPredictedVerdicts(t *testing.T) {
	all := func(fa, hang, dl, slow, heavy string) verdicts {
		return verdicts{"fail-after": fa, "hang": hang, "deadlock": dl, "slow-start": slow, "heavy-health": heavy}
	}
	cases := []struct {
		name, yaml string
		want       verdicts
		advice     map[string]string
	}{
		{"the seed's probe kills a slow start", readExample(t, "seed-probe.yaml"), all("ok", "ok", "ok", "FAIL", "ok"),
			map[string]string{"slow-start": "add a startupProbe with periodSeconds × failureThreshold ≥ 30s, or set initialDelaySeconds ≥ 30"}},
		{"a good Deployment passes", readExample(t, "good-deployment.yaml"), all("ok", "ok", "ok", "ok", "ok"), nil},
		{"timeoutSeconds 1 against a heavy check", readExample(t, "heavy-health-timeout.yaml"), all("ok", "ok", "ok", "ok", "FAIL"),
			map[string]string{"heavy-health": "livenessProbe.timeoutSeconds 1 is shorter than your health check under load (~2.5s): raise it to ≥ 4"}},
		{"a tcpSocket probe misses hangs", "livenessProbe:\n  tcpSocket: {port: 8080}\n  initialDelaySeconds: 40\n", all("FAIL", "FAIL", "FAIL", "ok", "n/a"),
			map[string]string{"hang": "a tcpSocket probe only sees that the port accepts connections"}},
		{"a short startup budget kills a slow start",
			"livenessProbe:\n  httpGet: {path: /, port: 8080}\nstartupProbe:\n  httpGet: {path: /, port: 8080}\n  periodSeconds: 2\n  failureThreshold: 5\n",
			all("ok", "ok", "ok", "FAIL", "ok"),
			map[string]string{"slow-start": "raise startupProbe.failureThreshold to ≥ 16"}},
		{"initialDelaySeconds covers the start", "livenessProbe:\n  httpGet: {path: /, port: 8080}\n  initialDelaySeconds: 30\n", all("ok", "ok", "ok", "ok", "ok"), nil},
		{"a probe too slow to matter", "livenessProbe:\n  httpGet: {path: /, port: 8080}\n  periodSeconds: 120\n  failureThreshold: 10\n",
			all("FAIL", "FAIL", "FAIL", "ok", "ok"),
			map[string]string{"fail-after": "your probe needs about 30m0s to catch this"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := prepared(t, c.yaml, nil)
			got := verdicts{}
			for _, r := range k.Predicted() {
				got[r.Fault] = resultWord(r)
				if want, ok := c.advice[r.Fault]; ok && !strings.Contains(r.Advice, want) {
					t.Errorf("%s: advice %q lacks %q", r.Fault, r.Advice, want)
				}
				if r.Pass != (r.Advice == "") {
					t.Errorf("%s: pass %v with advice %q", r.Fault, r.Pass, r.Advice)
				}
			}
			for f, w := range c.want {
				if got[f] != w {
					t.Errorf("%s: %s, want %s (window %s)", f, got[f], w, k.Window)
				}
			}
		})
	}
}

func TestSynthesizedScenarios(t *testing.T) {
	k := prepared(t, readExample(t, "good-deployment.yaml"), nil)
	for i, d := range k.Drills {
		s := d.Scenario
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", d.Fault, err)
		}
		if s.Name != "check-"+d.Fault || s.App.Fault != d.Fault || s.App.Port != 8080 || s.Pod.ContainerName != "web" || s.Pod.Name != "web" {
			t.Errorf("%s: %+v %+v", d.Fault, s.App, s.Pod)
		}
		if *s.Pod.TerminationGracePeriodSeconds != 20 || s.Pod.StartupProbe == nil || s.Pod.ReadinessProbe == nil {
			t.Errorf("%s: the user's pod settings were not kept: %+v", d.Fault, s.Pod)
		}
		if k.Plans[i].Scenario != s {
			t.Errorf("%s: plan for another scenario", d.Fault)
		}
	}
	heavy := k.Drills[4].Scenario
	if heavy.App.Resources.Limits.Cpu().String() != "500m" || heavy.App.Cost.Duration != DefaultCost {
		t.Errorf("heavy-health: %+v", heavy.App)
	}
}

func TestTCPOnlyFaultsRunOnATimer(t *testing.T) {
	k := prepared(t, "livenessProbe:\n  tcpSocket: {port: 8080}\n  periodSeconds: 5\n", func(o *Options) {
		o.Faults = []string{scenarios.FaultHang}
	})
	s := k.Drills[0].Scenario
	if s.App.AfterTime == nil || s.App.AfterTime.Duration != 25*time.Second {
		t.Errorf("afterTime %v, want 25s (after 5 × period 5s)", s.App.AfterTime)
	}
}

func TestHeavyHealthPointsTheHealthPathAtHealthz(t *testing.T) {
	k := prepared(t, "livenessProbe:\n  httpGet: {path: /livez, port: 8080}\nreadinessProbe:\n  httpGet: {path: /livez, port: 8080}\nstartupProbe:\n  httpGet: {path: /ready, port: 8080}\n",
		func(o *Options) { o.Faults = []string{scenarios.FaultHeavyHealth, scenarios.FaultHang} })
	heavy, hang := k.Drills[1], k.Drills[0]
	p := heavy.Scenario.Pod
	if p.LivenessProbe.HTTPGet.Path != "/healthz" || p.ReadinessProbe.HTTPGet.Path != "/healthz" || p.StartupProbe.HTTPGet.Path != "/ready" {
		t.Errorf("paths: %s %s %s", p.LivenessProbe.HTTPGet.Path, p.ReadinessProbe.HTTPGet.Path, p.StartupProbe.HTTPGet.Path)
	}
	if hang.Scenario.Pod.LivenessProbe.HTTPGet.Path != "/livez" || !strings.Contains(heavy.Note, "/livez") {
		t.Errorf("hang path %s, note %q", hang.Scenario.Pod.LivenessProbe.HTTPGet.Path, heavy.Note)
	}
}

func TestWindow(t *testing.T) {
	cases := []struct {
		need, want time.Duration
		capped     bool
	}{
		{0, time.Minute, false},
		{83 * time.Second, 100 * time.Second, false},
		{85 * time.Second, 100 * time.Second, false},
		{86 * time.Second, 110 * time.Second, false},
		{20 * time.Minute, AutoWindowCap, true},
	}
	for _, c := range cases {
		if got, capped := autoWindow(c.need); got != c.want || capped != c.capped {
			t.Errorf("autoWindow(%s) = %s %v, want %s %v", c.need, got, capped, c.want, c.capped)
		}
	}
	k := prepared(t, readExample(t, "seed-probe.yaml"), func(o *Options) { o.Window = 3 * time.Minute })
	if k.Window != 3*time.Minute {
		t.Errorf("--minutes ignored: %s", k.Window)
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []func(*Options){
		func(o *Options) { o.Faults = []string{"crash"} },
		func(o *Options) { o.After = -1 },
		func(o *Options) { o.Startup = 0 },
		func(o *Options) { o.Cost = 0 },
		func(o *Options) { o.OnSigterm = "panic" },
		func(o *Options) { o.Window = 2 * time.Hour },
	}
	for i, edit := range bad {
		o := DefaultOptions()
		edit(&o)
		if err := o.Validate(); err == nil || !strings.HasPrefix(err.Error(), "--") {
			t.Errorf("case %d: %v", i, err)
		}
	}
}
