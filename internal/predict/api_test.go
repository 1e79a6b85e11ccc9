package predict

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// TestHelpers: the questions suites and the CLI ask, on the seed with
// SIGTERM exiting, on a quiet cluster (restart 1 at 81.05 s, window
// [80.45 s, 84.151 s]: a first start at 3 s sets the probe phase 0.3 s to
// 1 s before it).
func TestHelpers(t *testing.T) {
	p, err := Predict(scenario("fail-after", 5, "exit", httpProbe("/", 0, 0, 0)), quiet())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at     float64
		lo, hi int
	}{{80, 0, 0}, {81, 0, 1}, {85, 1, 1}, {170, 2, 2}} {
		if lo, hi := p.RestartsAt(sec(c.at)); lo != c.lo || hi != c.hi {
			t.Errorf("RestartsAt(%vs) = %d, %d; want %d, %d", c.at, lo, hi, c.lo, c.hi)
		}
	}
	if by, err := p.RestartBy(1); err != nil || by != sec(84.151) {
		t.Errorf("RestartBy(1) = %v, %v; want 84.151s", by, err)
	}
	if d, err := p.DrillDuration(1); err != nil || d != 90*time.Second {
		t.Errorf("DrillDuration(1) = %v, %v; want 90s (84.151 s + 5 s to observe, rounded up)", d, err)
	}
	if d, err := p.DrillDuration(0); err != nil || d != 8*time.Second {
		t.Errorf("DrillDuration(0) = %v, %v; want 8s (first start by 3 s, + 5 s)", d, err)
	}
	if _, err := p.RestartBy(99); err == nil {
		t.Errorf("RestartBy(99) beyond the horizon: want an error")
	}
	if got, ok := p.Termination(0); !ok || got != (scenarios.Termination{Reason: "Error", ExitCode: 143}) {
		t.Errorf("Termination(0) = %+v, %v", got, ok)
	}
}

// TestWithRestarts: the horizon grows until the restarts asked for are in.
func TestWithRestarts(t *testing.T) {
	s := scenario("fail-after", 5, "ignore", httpProbe("/", 0, 0, 0))
	p, err := Predict(s, Kubelet{}, WithHorizon(time.Minute), WithRestarts(3))
	if err != nil {
		t.Fatal(err)
	}
	if by, err := p.RestartBy(3); err != nil || p.Horizon != 8*time.Minute {
		t.Errorf("RestartBy(3) = %v, %v with horizon %v; want it found by doubling 1m to 8m", by, err, p.Horizon)
	}
	p, err = Predict(scenario("none", -1, "exit", nil), Kubelet{}, WithRestarts(1))
	if err != nil || p.Horizon != maxHorizon {
		t.Errorf("a healthy app: horizon %v, %v; want the %v cap", p.Horizon, err, maxHorizon)
	}
}

// TestCrashLoopSchedule: a container that crashes at once is held back by
// 10, 20, 40, 80, 160 and then 300 s (kubelet.go initialCrashLoopBackOff,
// MaxContainerBackOff), each measured from its exit, never less, and at
// most the nominal plus half a resync (pod_workers.go completeWork jitter).
func TestCrashLoopSchedule(t *testing.T) {
	s := scenario("crash", 0, "exit", nil)
	p, err := Predict(s, Kubelet{}, WithHorizon(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range p.Timeline.Of(timeline.BackOff) {
		got = append(got, strings.Fields(e.Message)[1])
	}
	want := "10s 20s 40s 1m20s 2m40s 5m0s 5m0s 5m0s"
	if len(got) < 8 || strings.Join(got[:8], " ") != want {
		t.Errorf("back-offs %v, want %s", got, want)
	}
	exits, starts := p.Timeline.Of(timeline.Terminated), p.Timeline.Of(timeline.Started)
	for i, d := range []float64{0, 10, 20, 40, 80, 160, 300} {
		gap := starts[i+1].At - exits[i].At
		if gap < sec(d) || gap > sec(d+0.5*min(d, 60)+2) {
			t.Errorf("restart %d: %v after the exit, want %vs … %vs", i+1, gap, d, d+0.5*min(d, 60)+2)
		}
	}
}

// TestBackOffReset: the back-off entry is forgotten once nobody touched it
// for 600 s (kubelet.go HasExpiredFunc + crashLoopBackOff.GC), so a
// container crashing every 11 minutes always restarts at once, while one
// crashing every 5 minutes is held back 10 s, then 20 s.
func TestBackOffReset(t *testing.T) {
	every := func(d time.Duration) *scenarios.Scenario {
		return with(scenario("crash", 1000, "exit", nil), func(s *scenarios.Scenario) { s.App.AfterTime = dur(d) })
	}
	p, err := Predict(every(11*time.Minute), Kubelet{}, WithHorizon(35*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.Timeline.Of(timeline.BackOff)); n != 0 {
		t.Errorf("11-minute crashes: %d hold-backs, want none", n)
	}
	if s := p.Timeline.Of(timeline.Started); len(s) < 3 || !strings.Contains(s[2].Why, "more than 10 minutes") {
		t.Errorf("11-minute crashes: the 2nd restart should say the back-off expired: %v", s)
	}
	p, err = Predict(every(5*time.Minute), Kubelet{}, WithHorizon(16*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if b := p.Timeline.Of(timeline.BackOff); len(b) < 2 || !strings.HasPrefix(b[1].Message, "back-off 20s") {
		t.Errorf("5-minute crashes: want hold-backs of 10s then 20s, got %v", b)
	}
}

// TestClassroomCap: maxContainerRestartPeriod 20s caps every hold-back.
func TestClassroomCap(t *testing.T) {
	s := scenario("fail-after", 5, "exit", httpProbe("/", 2, 3, 1))
	p, err := Predict(s, Kubelet{MaxContainerRestartPeriod: 20 * time.Second}, WithHorizon(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	held := p.Timeline.Of(timeline.BackOff)
	if len(held) == 0 {
		t.Fatal("no hold-back predicted")
	}
	for _, e := range held {
		if !strings.HasPrefix(e.Message, "back-off 20s ") {
			t.Errorf("hold-back %q exceeds the 20s cap", e.Message)
		}
	}
}

// TestSeedTie: restart 6 of the seed settings is a near-tie (80 s back-off
// vs 80 s since the previous exit): the window must hold both outcomes.
func TestSeedTie(t *testing.T) {
	p, err := Predict(scenario("fail-after", 5, "exit", httpProbe("/", 10, 3, 0)), Kubelet{})
	if err != nil {
		t.Fatal(err)
	}
	r6 := p.Timeline.Of(timeline.Started)[6]
	if !strings.Contains(r6.Why, "near-tie") || r6.Latest < sec(560) {
		t.Errorf("restart 6: %v [%v, %v] %q; want a near-tie window reaching past 560 s", r6.At, r6.Earliest, r6.Latest, r6.Why)
	}
}

// TestFlaky: random failures are not predicted, but bounded.
func TestFlaky(t *testing.T) {
	s := scenario("flaky", -1, "exit", httpProbe("/", 0, 0, 0))
	p, err := Predict(s, Kubelet{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Unpredictable, "about 51 probes") {
		t.Errorf("Unpredictable = %q; want the mean of ~51 probes for p=0.3, threshold 3", p.Unpredictable)
	}
	if n := len(p.Timeline.Entries); n != 1 {
		t.Errorf("flaky timeline has %d entries, want only the first start", n)
	}
	if lo, hi := p.RestartsAt(10 * time.Minute); lo != 0 || hi < 15 {
		t.Errorf("RestartsAt(10m) = %d, %d; want 0 and the every-probe-fails bound (≥ 15)", lo, hi)
	}
	if _, err := p.RestartBy(1); err == nil {
		t.Errorf("RestartBy on a flaky app: want an error")
	}
}

func TestLeakWithoutLimit(t *testing.T) {
	p, err := Predict(scenario("leak", 5, "exit", httpProbe("/", 0, 0, 0)), Kubelet{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Unpredictable, "memory limit") {
		t.Errorf("Unpredictable = %q", p.Unpredictable)
	}
}

func TestChinese(t *testing.T) {
	p, err := Predict(scenario("fail-after", 5, "ignore", httpProbe("/", 0, 0, 0)), Kubelet{}, WithLang(Chinese))
	if err != nil {
		t.Fatal(err)
	}
	want := map[timeline.Kind]string{
		timeline.ProbeFailed: "第 6 个请求：faultyapp 开始返回 500",
		timeline.Killing:     "存活探针连续第 3 次失败",
		timeline.Terminated:  "退出码 137 = 128+9",
	}
	for k, w := range want {
		if got := p.Timeline.Of(k)[0].Why; !strings.Contains(got, w) {
			t.Errorf("%s Why %q lacks %q", k, got, w)
		}
	}
}

func TestErrors(t *testing.T) {
	noHandler := scenario("none", -1, "exit", &corev1.Probe{})
	cases := []struct {
		name string
		s    *scenarios.Scenario
		k    Kubelet
		opt  Option
		want string
	}{
		{"no scenario", nil, Kubelet{}, nil, "no scenario"},
		{"unknown fault", scenario("explode", -1, "exit", nil), Kubelet{}, nil, `unknown fault "explode"`},
		{"probe without handler", noHandler, Kubelet{}, nil, "Liveness probe has no handler"},
		{"cap too long", scenario("none", -1, "exit", nil), Kubelet{MaxContainerRestartPeriod: time.Hour}, nil, "maxContainerRestartPeriod"},
		{"bad span", scenario("none", -1, "exit", nil), Kubelet{FirstStart: Span{2, 1, 3}}, nil, "FirstStart"},
		{"bad horizon", scenario("none", -1, "exit", nil), Kubelet{}, WithHorizon(-time.Second), "horizon"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := []Option{}
			if c.opt != nil {
				opts = append(opts, c.opt)
			}
			if _, err := Predict(c.s, c.k, opts...); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}
