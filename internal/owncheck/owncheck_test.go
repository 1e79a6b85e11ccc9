package owncheck

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/probedrill/probedrill/internal/probecheck"
)

func httpProbe(port int, period, failures int32) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt(port)}},
		PeriodSeconds: period, FailureThreshold: failures}
}

func TestAdaptDropsWhatTheNamespaceLacksAndKeepsTheApp(t *testing.T) {
	spec := &corev1.PodSpec{
		ServiceAccountName: "web-sa", NodeSelector: map[string]string{"disk": "ssd"},
		ImagePullSecrets: []corev1.LocalObjectReference{{Name: "regcred"}},
		Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "pgdata"}}}},
		Containers: []corev1.Container{{Name: "db", Image: "probedrill/postgres:15", Args: []string{"-c", "x=1"},
			ImagePullPolicy: corev1.PullAlways, LivenessProbe: httpProbe(80, 1, 3)}},
	}
	got, notes := Adapt(spec, nil, true)
	if got.Volumes[0].EmptyDir == nil || got.ServiceAccountName != "" || got.NodeSelector != nil || got.ImagePullSecrets != nil {
		t.Errorf("adapted spec kept what the namespace lacks: %+v", got)
	}
	if c := got.Containers[0]; c.ImagePullPolicy != corev1.PullNever || c.Image != "probedrill/postgres:15" || c.Args[1] != "x=1" || c.LivenessProbe == nil {
		t.Errorf("container changed beyond the pull policy: %+v", c)
	}
	if spec.Volumes[0].PersistentVolumeClaim == nil || spec.Containers[0].ImagePullPolicy != corev1.PullAlways {
		t.Error("Adapt changed its input")
	}
	want := []string{"volume data: PersistentVolumeClaim pgdata became an emptyDir", "serviceAccountName web-sa dropped",
		"imagePullSecrets dropped", "nodeName, nodeSelector, affinity and topologySpreadConstraints dropped"}
	if len(notes) != len(want) {
		t.Fatalf("notes %q, want %d", notes, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(notes[i], w) {
			t.Errorf("note %d = %q, want it to start with %q", i, notes[i], w)
		}
	}
	sts, notes := Adapt(&corev1.PodSpec{}, []string{"pgdata"}, false)
	if len(sts.Volumes) != 1 || sts.Volumes[0].Name != "pgdata" || sts.Volumes[0].EmptyDir == nil || len(notes) != 1 {
		t.Errorf("a StatefulSet's claim: volumes %+v, notes %q", sts.Volumes, notes)
	}
	if _, notes := Adapt(&corev1.PodSpec{Containers: spec.Containers}, nil, false); len(notes) != 0 {
		t.Errorf("a plain pod got notes %q", notes)
	}
}

func TestGaugeAsksTheFirstProbesHandlerEverySecond(t *testing.T) {
	startup := httpProbe(8080, 5, 30)
	startup.TimeoutSeconds = 2
	spec := &corev1.PodSpec{Containers: []corev1.Container{
		{Name: "proxy", ReadinessProbe: httpProbe(9000, 5, 3)},
		{Name: "app", StartupProbe: startup, LivenessProbe: httpProbe(8081, 10, 3), ReadinessProbe: httpProbe(8082, 10, 3)},
	}}
	g := gauge(spec, "app")
	c := g.Containers[1]
	if c.LivenessProbe != nil || c.StartupProbe != nil {
		t.Fatalf("gauge kept a probe that kills: %+v", c)
	}
	r := c.ReadinessProbe
	if r.HTTPGet.Port.IntValue() != 8080 || r.PeriodSeconds != 1 || r.FailureThreshold != 1 || r.TimeoutSeconds != 2 || r.InitialDelaySeconds != 0 {
		t.Errorf("gauge probe %+v, want startup's handler every 1s with its 2s timeout", r)
	}
	if g.Containers[0].ReadinessProbe.PeriodSeconds != 5 || spec.Containers[1].StartupProbe == nil {
		t.Error("gauge changed another container or its input")
	}
	if gauge(&corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}, "app") != nil {
		t.Error("a container without probes has no gauge")
	}
}

func TestBudgetIsTheFirstKillingProbesWithDefaults(t *testing.T) {
	startup := &corev1.Probe{InitialDelaySeconds: 5} // period 10, threshold 3 by default
	for _, c := range []struct {
		name string
		c    corev1.Container
		want string
	}{
		{"startup wins", corev1.Container{StartupProbe: startup, LivenessProbe: httpProbe(80, 1, 1)}, "startupProbe: 5s + 3 × 10s = 35s"},
		{"liveness alone", corev1.Container{LivenessProbe: httpProbe(80, 2, 4)}, "livenessProbe: 0s + 4 × 2s = 8s"},
		{"readiness never kills", corev1.Container{ReadinessProbe: httpProbe(80, 1, 1)}, "no startup or liveness probe: nothing kills a slow start"},
	} {
		if got := budgetOf(&c.c).String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := stay(&corev1.Container{LivenessProbe: httpProbe(80, 10, 3)}); got != 31*time.Second {
		t.Errorf("stay = %s, want 3 × 10s + the 1s default timeout", got)
	}
}

// slowApp is faultyapp -startup=6s behind a 3 s liveness budget, as
// measured on the cluster: it answers after 7.1 and 7.2 s and is killed at
// 3.0 and 2.0 s with exit 143.
func slowApp(t *testing.T, failures int32, starts []Start) (*Check, *Result) {
	t.Helper()
	in := &probecheck.Input{File: "slow.yaml", Kind: "Deployment", Name: "slow", Container: "app", Sources: []string{"slow.yaml"},
		Liveness: httpProbe(8080, 1, failures),
		Spec: &corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "probedrill/faultyapp:v0.1.0",
			LivenessProbe: httpProbe(8080, 1, failures)}}}}
	k, err := Prepare(in, Options{Starts: len(starts), PullNever: true})
	if err != nil {
		t.Fatal(err)
	}
	f := k.judge(starts)
	f.Namespace = "pd-check-slow-cold-start-x"
	return k, &Result{Faults: []FaultResult{f}}
}

func TestJudgeKilledBeforeItServes(t *testing.T) {
	killed := func(need, end time.Duration) Start {
		return Start{Gauged: true, Answered: true, Need: need, Killed: true, KillSeen: end - 300*time.Millisecond, Ended: end, ExitCode: 143, Reason: "Error",
			Killing: []string{"Container app failed liveness probe, will be restarted"}}
	}
	k, r := slowApp(t, 3, []Start{killed(7100*time.Millisecond, 3*time.Second), killed(7200*time.Millisecond, 2*time.Second)})
	f := r.Faults[0]
	if f.Pass || len(r.Failed()) != 1 {
		t.Fatal("a start killed before it serves passed")
	}
	for _, c := range []struct{ got, want string }{
		{f.Predicted, "killed 2.0–3.0s after start, before it ever serves"},
		{f.Observed, "killed in 2 of 2 starts, 1.7–2.7s after start; ended at 2.0–3.0s: exit 143 (Error)"},
		// 2 × 7.2 s = 14.4 s at 2 s periods: 8 periods, plus the one a kill may come early.
		{f.Advice, "Needs 7.1–7.2s to answer, the livenessProbe allows 3.0s: killed before it ever serves. " +
			"Add a startupProbe with the same handler, periodSeconds: 2, failureThreshold: 9"},
	} {
		if !strings.HasPrefix(c.got, c.want) {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
	rep := Report{Check: k, Result: r}
	if err := rep.Err(); err == nil || err.Error() != "the probes failed 1 of 1 faults: cold-start" {
		t.Errorf("Err() = %v", err)
	}
}

func TestJudgeSparedWithMarginOrTight(t *testing.T) {
	spared := func(need time.Duration) Start { return Start{Gauged: true, Answered: true, Need: need} }
	_, r := slowApp(t, 12, []Start{spared(7300 * time.Millisecond), spared(7600 * time.Millisecond)})
	f := r.Faults[0]
	if !f.Pass || f.Predicted != "no restart: answers by 7.6s, kills come ≥ 11.0s" || f.Observed != "no restart in 2 starts" {
		t.Errorf("pass %v, predicted %q, observed %q", f.Pass, f.Predicted, f.Observed)
	}
	if !strings.HasPrefix(f.Advice, "Tight: the slowest start needed 7.6s of the 12.0s the livenessProbe allows") {
		t.Errorf("advice %q", f.Advice)
	}
	_, r = slowApp(t, 40, []Start{spared(7300 * time.Millisecond)})
	if a := r.Faults[0].Advice; a != "Margin: needs 7.3s, the livenessProbe allows 40.0s." {
		t.Errorf("advice %q", a)
	}
}

// TestReportTextAndJSONStateTheSameNumbers: every seconds figure of the
// JSON appears in the text with the same one decimal.
func TestReportTextAndJSONStateTheSameNumbers(t *testing.T) {
	k, r := slowApp(t, 3, []Start{{Gauged: true, Answered: true, Need: 7149 * time.Millisecond, Killed: true,
		Ended: 3 * time.Second, ExitCode: 137, Reason: "Error"}})
	rep := Report{Check: k, Result: r, Loaded: []string{"probedrill/faultyapp:v0.1.0"}}
	var text, js strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema string
		Faults []struct {
			NeedMaxSeconds float64
			Starts         []struct {
				NeedSeconds, EndedSeconds float64
				ExitCode                  int
			}
		}
	}
	if err := json.Unmarshal([]byte(js.String()), &got); err != nil {
		t.Fatal(err)
	}
	s := got.Faults[0].Starts[0]
	if got.Schema != Schema || got.Faults[0].NeedMaxSeconds != 7.1 || s.NeedSeconds != 7.1 || s.EndedSeconds != 3 || s.ExitCode != 137 {
		t.Fatalf("JSON %s", js.String())
	}
	for _, want := range []string{"  image    probedrill/faultyapp:v0.1.0 (loaded into the nodes from this machine)",
		"      1      7.1        -      -    3.0  137 Error", "Needs 7.1s to answer", "FAIL: 0 of 1 faults as they should be."} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	for _, line := range strings.Split(text.String(), "\n") {
		if n := len([]rune(line)); n > 100 {
			t.Errorf("line of %d columns (a projector shows 100): %q", n, line)
		}
	}
}

// TestJudgeNamesAnAppThatIgnoresSigterm: PostgreSQL's start script (dash
// as PID 1 during initdb) ignored the kill's SIGTERM: the Killing event
// at 2.4 s, SIGKILL after the 30 s grace period, exit 137 at 32 s.
func TestJudgeNamesAnAppThatIgnoresSigterm(t *testing.T) {
	s := Start{Gauged: true, Answered: true, Need: 3700 * time.Millisecond, Killed: true, KillSeen: 2400 * time.Millisecond,
		Ended: 32 * time.Second, ExitCode: 137, Reason: "Error"}
	_, r := slowApp(t, 2, []Start{s})
	want := "It ignored SIGTERM: the kill waited the whole grace period (30s, ended 29.6s after the Killing event) and ended in 137"
	if a := r.Faults[0].Advice; !strings.Contains(a, want) || !strings.HasPrefix(a, "Needs 3.7s to answer, the livenessProbe allows 2.0s") {
		t.Errorf("advice %q", a)
	}
	s.Ended, s.ExitCode = 3*time.Second, 143 // exited on SIGTERM: nothing to say
	if _, r := slowApp(t, 2, []Start{s}); strings.Contains(r.Faults[0].Advice, "SIGTERM") {
		t.Errorf("advice %q", r.Faults[0].Advice)
	}
}

// TestJudgeCrash: nginx as measured (SIGKILL: 137, restarted at once;
// SIGTERM: exit 0, back-off 10s), under each restart policy.
func TestJudgeCrash(t *testing.T) {
	kill := Signalled{Signal: "KILL", Ended: true, ExitCode: 137, Reason: "Error", EndedAfter: 600 * time.Millisecond,
		Restarted: true, RestartAfter: 1600 * time.Millisecond, ServingAfter: 3100 * time.Millisecond}
	term := Signalled{Signal: "TERM", Ended: true, ExitCode: 0, Reason: "Completed", EndedAfter: 500 * time.Millisecond,
		Restarted: true, RestartAfter: 13500 * time.Millisecond, ServingAfter: 14300 * time.Millisecond, BackOff: "back-off 10s"}
	k, _ := slowApp(t, 3, []Start{{}})

	f := FaultResult{Crash: []Signalled{kill, term}}
	k.judgeCrash(&f)
	if !f.Pass || len(f.Mismatch) != 0 {
		t.Errorf("Always: pass %v, mismatch %q", f.Pass, f.Mismatch)
	}
	want := "SIGKILL: exit 137 (Error) after 0.6s, restarted after 1.6s, serving again after 3.1s; " +
		"SIGTERM: exit 0 (Completed) after 0.5s, restarted after 13.5s, serving again after 14.3s"
	if f.Observed != want {
		t.Errorf("observed\n got %q\nwant %q", f.Observed, want)
	}

	// OnFailure does not restart an exit 0: a restart there is a failure.
	k.spec.RestartPolicy = corev1.RestartPolicyOnFailure
	f = FaultResult{Crash: []Signalled{kill, term}}
	k.judgeCrash(&f)
	if f.Pass || !strings.Contains(f.Predicted, "SIGTERM: exit 143, or 0 if the app handles SIGTERM, no restart") {
		t.Errorf("OnFailure: pass %v, predicted %q", f.Pass, f.Predicted)
	}

	// A kubelet whose first back-off is not 10 s is named, not hidden.
	k.spec.RestartPolicy = ""
	term.BackOff = "back-off 1s"
	f = FaultResult{Crash: []Signalled{kill, term}}
	k.judgeCrash(&f)
	if !f.Pass || !strings.Contains(f.Advice, "The model was wrong: after SIGTERM the model predicted back-off 10s, the kubelet held back-off 1s") {
		t.Errorf("mismatch: pass %v, advice %q", f.Pass, f.Advice)
	}
}

func TestWriteJUnitOneCasePerFault(t *testing.T) {
	k, r := slowApp(t, 3, []Start{{Gauged: true, Answered: true, Need: 7100 * time.Millisecond, Killed: true,
		KillSeen: 2700 * time.Millisecond, Ended: 3 * time.Second, ExitCode: 143, Reason: "Error"}})
	r.Faults = append(r.Faults, FaultResult{Fault: FaultCrash, Must: "restarted as restartPolicy Always says",
		Skipped: "needs the node's container runtime"})
	var b strings.Builder
	if err := (Report{Check: k, Result: r}).WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Tests != 2 || doc.Failures != 1 || doc.Skipped != 1 {
		t.Fatalf("tests %d failures %d skipped %d:\n%s", doc.Tests, doc.Failures, doc.Skipped, b.String())
	}
	c := doc.Suites[0].Cases[0]
	if c.Name != "cold-start: no restart" || c.Failure == nil ||
		c.Failure.Message != "killed in 1 of 1 starts, 2.7s after start; ended at 3.0s: exit 143 (Error)" ||
		!strings.Contains(c.Failure.Text, "Needs 7.1s to answer") {
		t.Errorf("case %+v", c)
	}
}
