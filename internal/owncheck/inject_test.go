package owncheck

import (
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/internal/probecheck"
)

// injectCheck prepares a check of one container whose liveness probe is
// live, with grace seconds to terminate.
func injectCheck(t *testing.T, live *corev1.Probe, grace int64, o Options) *Check {
	t.Helper()
	c := corev1.Container{Name: "app", Image: "probedrill/nginx:bookworm", LivenessProbe: live,
		ReadinessProbe: httpProbe(80, 2, 3), Ports: []corev1.ContainerPort{{Name: "health", ContainerPort: 8080}, {Name: "http", ContainerPort: 80}}}
	in := &probecheck.Input{File: "web.yaml", Kind: "Deployment", Name: "web", Container: "app", Sources: []string{"web.yaml"},
		Liveness: live, Readiness: c.ReadinessProbe,
		Spec: &corev1.PodSpec{TerminationGracePeriodSeconds: &grace, Containers: []corev1.Container{c}}}
	o.Starts = 1
	k, err := Prepare(in, o)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func execProbe(period, timeout, failures int32, cmd ...string) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}},
		PeriodSeconds: period, TimeoutSeconds: timeout, FailureThreshold: failures}
}

// TestFreezeModel: 3 failures 2 s apart with a 1 s timeout kill 5–7 s
// after the freeze; a stopped process waits the whole grace period.
func TestFreezeModel(t *testing.T) {
	k := injectCheck(t, httpProbe(8080, 2, 3), 10, Options{})
	p := k.plan(FaultFreeze)
	if !p.restart || p.killMin != 5*time.Second || p.killMax != 7*time.Second || !p.stopped || p.grace != 10*time.Second {
		t.Fatalf("plan = %+v", p)
	}
	want := "Killing at +5.0–7.0s, exit 137 at +15.0–17.0s (a stopped process cannot act on SIGTERM: the whole 10s grace period), restarted at once"
	if got := p.predicted(k); got != want {
		t.Errorf("predicted\n got %s\nwant %s", got, want)
	}
	f := FaultResult{Fault: FaultFreeze, Injected: &Injected{LivenessFailures: 3, FirstFailure: 2 * time.Second, Killing: 6 * time.Second,
		Ended: 15600 * time.Millisecond, ExitCode: 137, Reason: "Error", Restarted: 15600 * time.Millisecond, Serving: 17 * time.Second}}
	k.judgeInjected(&f, p)
	if !f.Pass || len(f.Mismatch) != 0 {
		t.Errorf("a restart inside the window: pass %v, mismatch %q", f.Pass, f.Mismatch)
	}
	if want := "3 liveness failures (first +2.0s), Killing +6.0s, exit 137 (Error) +15.6s, restarted +15.6s, serving +17.0s"; f.Observed != want {
		t.Errorf("observed\n got %s\nwant %s", f.Observed, want)
	}
	if !strings.Contains(f.Advice, "whole grace period (10s)") {
		t.Errorf("advice %q does not name the grace period's cost", f.Advice)
	}
	// the exit removed before any status showed it: the gap after the
	// Killing event still tells the grace period (suites/README.md run 54)
	f.Injected.Ended, f.Injected.ExitCode, f.Injected.Reason, f.Injected.Restarted = 0, 0, "", 19300*time.Millisecond
	k.judgeInjected(&f, p)
	if want := "the restart came 13.3s after the Killing event, the whole grace period (10s)"; !strings.Contains(f.Advice, want) {
		t.Errorf("exit unseen: advice %q lacks %q", f.Advice, want)
	}
	f.Injected.Killing = 12 * time.Second
	k.judgeInjected(&f, p)
	if f.Advice != "" {
		t.Errorf("exit unseen, restart 7.3s after Killing: advice %q, want none (the grace period is not shown)", f.Advice)
	}
	f.Injected.Ended, f.Injected.ExitCode, f.Injected.Reason, f.Injected.Restarted = 15600*time.Millisecond, 137, "Error", 15600*time.Millisecond
	f.Mismatch = nil
	k.judgeInjected(&f, p)
	if !f.Pass || len(f.Mismatch) != 1 || !strings.Contains(f.Mismatch[0], "+12.0s") {
		t.Errorf("a late kill: pass %v, mismatch %q (want it named, not failed)", f.Pass, f.Mismatch)
	}
}

// TestFreezeWithAPipelineExecProbe: the trap of docs/real-app-faults.md:
// a shell pipeline blocks each probe for the runtime request timeout.
func TestFreezeWithAPipelineExecProbe(t *testing.T) {
	k := injectCheck(t, execProbe(2, 1, 3, "sh", "-c", "redis-cli ping | grep -q PONG"), 30, Options{})
	p := k.plan(FaultFreeze)
	if !p.pipeline || !strings.HasSuffix(p.predicted(k), "a hang can block each probe 2m0s") {
		t.Fatalf("pipeline %v, predicted %q", p.pipeline, p.predicted(k))
	}
	f := FaultResult{Fault: FaultFreeze, Injected: &Injected{Watched: 67 * time.Second}}
	k.judgeInjected(&f, p)
	if f.Pass || f.Observed != "no liveness failure, no restart in 67.0s" {
		t.Errorf("no restart: pass %v, observed %q", f.Pass, f.Observed)
	}
	for _, want := range []string{"Not restarted in 67.0s where the probe promises about 7.0s", "runtime request timeout (2m0s)", "`timeout 1`"} {
		if !strings.Contains(f.Advice, want) {
			t.Errorf("advice %q lacks %q", f.Advice, want)
		}
	}
	for cmd, want := range map[string]bool{
		"sh -c redis-cli ping | grep -q PONG":             true,
		"/bin/bash -c curl -s localhost | grep ok":        true,
		"sh -c timeout 1 redis-cli ping | grep -q PONG":   false,
		"sh -c redis-cli ping":                            false,
		"redis-cli ping":                                  false,
		"python3 -c import sys; print('a|b'); sys.exit()": false,
	} {
		if got := pipelineExec(execProbe(2, 1, 3, strings.SplitN(cmd, " ", 3)...)); got != want {
			t.Errorf("pipelineExec(%q) = %v, want %v", cmd, got, want)
		}
	}
}

// TestCPUStarveFalseRestart: a restart under cpu-starve fails unless the
// team said the app does not survive it.
func TestCPUStarveFalseRestart(t *testing.T) {
	live := execProbe(5, 1, 3, "pg_isready", "-h", "127.0.0.1")
	k := injectCheck(t, live, 30, Options{})
	p := k.plan(FaultCPUStarve)
	if p.restart || p.hold != 32*time.Second {
		t.Fatalf("plan = %+v: want no restart, held twice the 16s window", p)
	}
	restarted := &Injected{LivenessFailures: 3, FirstFailure: 4 * time.Second, Killing: 14 * time.Second,
		Ended: 15 * time.Second, ExitCode: 0, Reason: "Completed", Restarted: 16 * time.Second}
	f := FaultResult{Fault: FaultCPUStarve, Injected: restarted}
	k.judgeInjected(&f, p)
	want := "A false restart: 3 liveness failures under a 5% CPU quota (timeoutSeconds 1, failureThreshold 3)."
	if f.Pass || !strings.HasPrefix(f.Advice, want) {
		t.Errorf("false restart: pass %v, advice %q", f.Pass, f.Advice)
	}
	k = injectCheck(t, live, 30, Options{ExpectRestart: []string{FaultCPUStarve}, Duration: 20 * time.Second, StarvePercent: 10})
	p = k.plan(FaultCPUStarve)
	f = FaultResult{Fault: FaultCPUStarve, Injected: restarted}
	k.judgeInjected(&f, p)
	if !f.Pass || p.hold != 20*time.Second || k.must(FaultCPUStarve) != "restarted (--expect-restart)" {
		t.Errorf("expected restart: pass %v, hold %s, must %q", f.Pass, p.hold, k.must(FaultCPUStarve))
	}
}

func TestProbedPorts(t *testing.T) {
	named := httpProbe(0, 2, 3)
	named.HTTPGet.Port = intstr.FromString("health")
	for name, c := range map[string]struct {
		live *corev1.Probe
		want []int32
	}{
		"by number":                 {httpProbe(9000, 2, 3), []int32{9000}},
		"by name":                   {named, []int32{8080}},
		"exec: the declared ports":  {execProbe(2, 1, 3, "redis-cli", "ping"), []int32{8080, 80}},
		"tcpSocket by its own port": {&corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt(6379)}}}, []int32{6379}},
	} {
		k := injectCheck(t, c.live, 30, Options{})
		if got := k.probedPorts(); !slices.Equal(got, c.want) {
			t.Errorf("%s: probedPorts = %v, want %v", name, got, c.want)
		}
	}
	k := injectCheck(t, execProbe(2, 1, 3, "redis-cli", "ping"), 30, Options{Node: noNode{}})
	k.container().Ports, k.container().ReadinessProbe = nil, nil
	if got := k.skip(FaultPortBlocked, false); !strings.Contains(got, "declares no TCP port") {
		t.Errorf("exec probe without ports: skip %q", got)
	}
}

// TestDependencyCut: a liveness probe that names the dependency is
// predicted to restart, and the restart is a false one.
func TestDependencyCut(t *testing.T) {
	in, err := probecheck.Read([]string{"-"}, strings.NewReader(webRedis), probecheck.Selection{Workload: "deploy/web"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := Prepare(in, Options{Starts: 1, PullNever: true, Node: noNode{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := k.cutWords(); got != "redis:6379" {
		t.Errorf("cut targets %q, want redis:6379", got)
	}
	if got := strings.Join(k.Images(), ","); got != "probedrill/web:bookworm,probedrill/redis:bookworm" {
		t.Errorf("images %s: want the dependency's too", got)
	}
	p := k.plan(FaultDependencyCut)
	if p.restart || p.checks != "redis" {
		t.Fatalf("plan = %+v: want no restart required, the probe naming redis", p)
	}
	if want := "the liveness probe's command names redis: it fails with it, Killing at +5.0–7.0s, restarted"; p.predicted(k) != want {
		t.Errorf("predicted %q, want %q", p.predicted(k), want)
	}
	f := FaultResult{Fault: FaultDependencyCut, Injected: &Injected{LivenessFailures: 3, Killing: 6 * time.Second, Restarted: 7 * time.Second}}
	k.judgeInjected(&f, p)
	if f.Pass || !strings.HasPrefix(f.Advice, "A false restart: 3 liveness failures with redis:6379 unreachable") ||
		!strings.Contains(f.Advice, "readinessProbe") {
		t.Errorf("false restart: pass %v, advice %q", f.Pass, f.Advice)
	}
	f = FaultResult{Fault: FaultDependencyCut, Injected: &Injected{ReadinessFailures: 9, Watched: 20 * time.Second}}
	k.judgeInjected(&f, p)
	if !f.Pass || f.Observed != "no liveness failure, no restart in 20.0s, 9 readiness failures" {
		t.Errorf("spared: pass %v, observed %q", f.Pass, f.Observed)
	}
	k.Options.Dependencies = []Endpoint{{Host: "postgres", Port: 5432}}
	if err := k.validateDependencies(); err == nil || !strings.Contains(err.Error(), "the input's are redis") {
		t.Errorf("--dependency postgres:5432: %v", err)
	}
	for _, bad := range []string{"redis", ":6379", "redis:0", "redis:http"} {
		if _, err := ParseEndpoint(bad); err == nil {
			t.Errorf("ParseEndpoint(%q) = nil error", bad)
		}
	}
	if e, err := ParseEndpoint("10.96.0.10:53"); err != nil || e.String() != "10.96.0.10:53" {
		t.Errorf("ParseEndpoint(10.96.0.10:53) = %v, %v", e, err)
	}
}

const webRedis = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: probedrill/web:bookworm
        livenessProbe:
          exec: {command: [redis-cli, -h, redis, ping]}
          periodSeconds: 2
          timeoutSeconds: 1
          failureThreshold: 3
---
apiVersion: v1
kind: Service
metadata: {name: redis}
spec:
  selector: {app: redis}
  ports: [{port: 6379}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
      - {name: redis, image: probedrill/redis:bookworm}
`

// TestObserveCountsFromTheInjection: events before the injecting command
// started are not the fault's; a liveness kill means failureThreshold
// failures even when the kubelet merged their events.
func TestObserveCountsFromTheInjection(t *testing.T) {
	k := injectCheck(t, httpProbe(8080, 2, 3), 10, Options{})
	from := time.Now().Add(-30 * time.Second)
	at := from.Add(2 * time.Second) // iptables waited 2 s for the xtables lock
	s := seen{
		liveFailures:  []time.Time{from.Add(-5 * time.Second), from.Add(time.Second), at.Add(3 * time.Second)},
		readyFailures: []time.Time{from.Add(-time.Second), at.Add(time.Second)},
		killing:       []string{"Container app failed liveness probe, will be restarted"},
		killedAt:      at.Add(5 * time.Second), lastKill: at.Add(5 * time.Second),
	}
	var in Injected
	k.observe(&in, s, from, at, 0)
	if in.LivenessFailures != 3 || in.ReadinessFailures != 1 || in.FirstFailure != time.Millisecond || in.Killing != 5*time.Second {
		t.Errorf("observed %+v: want 3 liveness failures (2 seen, merged), 1 readiness, first +0.0s (in the command), Killing +5s", in)
	}
}

// A container that ended before the fault went in is not the fault's
// doing: a Killing before it, or an exit a whole second before it.
func TestEndedBefore(t *testing.T) {
	from := time.Date(2026, 12, 7, 6, 18, 30, 500_000_000, time.UTC)
	exit := func(at time.Time) *corev1.ContainerStateTerminated {
		return &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", FinishedAt: metav1.NewTime(at)}
	}
	for name, c := range map[string]struct {
		s    seen
		want bool
	}{
		"still running":                   {seen{}, false},
		"killed before":                   {seen{killedAt: from.Add(-2 * time.Second)}, true},
		"killed after":                    {seen{killedAt: from.Add(5 * time.Second)}, false},
		"exited 2 s before":               {seen{ended: exit(from.Add(-2 * time.Second).Truncate(time.Second))}, true},
		"exit stamped in the same second": {seen{ended: exit(from.Truncate(time.Second))}, false},
		"exited after":                    {seen{ended: exit(from.Add(16 * time.Second).Truncate(time.Second))}, false},
	} {
		if got := endedBefore(c.s, from); got != c.want {
			t.Errorf("%s: endedBefore = %v, want %v", name, got, c.want)
		}
	}
}
