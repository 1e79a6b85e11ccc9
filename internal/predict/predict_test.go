package predict

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Hand-computed timelines. The nominal cluster (DefaultKubelet): probe
// workers tick at 0.2 s + k·period, the first container runs at 1.0 s, a
// restart runs 0.7 s after the kubelet decides it, the status shows a
// change 0.5 s after it happens, a kill's sync comes 50 ms after the probe
// result, and a process is gone 50 ms after SIGTERM (or SIGKILL).

// at is one entry that must be predicted at a nominal time (±10 ms).
type at struct {
	kind timeline.Kind
	inst int
	sec  float64
	msg  string // if set, the message must contain it
}

type predictCase struct {
	name    string
	s       *scenarios.Scenario
	k       Kubelet
	horizon time.Duration
	want    []at
	none    []timeline.Kind // kinds that must not appear at all
	term    *scenarios.Termination
	most    *int // at most this many restarts within the horizon
}

func TestPredictHandComputed(t *testing.T) {
	for _, c := range handComputed() {
		t.Run(c.name, func(t *testing.T) {
			h := c.horizon
			if h == 0 {
				h = 5 * time.Minute
			}
			p, err := Predict(c.s, c.k, WithHorizon(h))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				checkAt(t, p.Timeline, w)
			}
			for _, k := range c.none {
				if got := p.Timeline.Of(k); len(got) > 0 {
					t.Errorf("no %s expected, got %v", k, got[0])
				}
			}
			if _, hi := p.RestartsAt(h); c.most != nil && hi > *c.most {
				t.Errorf("up to %d restarts within %v, want at most %d", hi, h, *c.most)
			}
			if c.term != nil {
				if got, ok := p.Termination(0); !ok || got != *c.term {
					t.Errorf("Termination(0) = %+v, %v; want %+v", got, ok, *c.term)
				}
			}
		})
	}
}

func checkAt(t *testing.T, tl timeline.Timeline, w at) {
	t.Helper()
	for _, e := range tl.Of(w.kind) {
		if e.Instance != w.inst || absDur(e.At-sec(w.sec)) > 10*time.Millisecond {
			continue
		}
		if !strings.Contains(e.Message, w.msg) {
			t.Errorf("%s #%d at %v: message %q lacks %q", w.kind, w.inst, e.At, e.Message, w.msg)
		}
		if !e.Within(e.At) || e.Why == "" {
			t.Errorf("%s #%d at %v: window [%v, %v] or Why %q broken", w.kind, w.inst, e.At, e.Earliest, e.Latest, e.Why)
		}
		return
	}
	t.Errorf("no %s #%d at %vs; got %v", w.kind, w.inst, w.sec, tl.Of(w.kind))
}

func handComputed() []predictCase {
	seed := func(sigterm string) *scenarios.Scenario {
		return scenario("fail-after", 5, sigterm, httpProbe("/", 0, 0, 0))
	}
	healthz := func(fault string) *scenarios.Scenario {
		return scenario(fault, -1, "exit", httpProbe("/healthz", 0, 0, 0))
	}
	return []predictCase{{
		// The seed's catalog settings: SIGTERM is ignored, so the kill lands
		// as SIGKILL after the 30 s grace period and the restart only then
		// (each container lives ~110 s, as in the seed's describe output).
		// Probes 10.2 … 50.2 pass, 60.2, 70.2, 80.2 fail.
		name: "seed: SIGTERM ignored, exit 137 after 30 s", s: seed("ignore"),
		want: []at{
			{timeline.ProbeFailed, 0, 60.2, "Liveness probe failed: HTTP probe failed with statuscode: 500"},
			{timeline.Killing, 0, 80.25, "Container test2 failed liveness probe, will be restarted"},
			{timeline.Terminated, 0, 110.30, ""},
			{timeline.Started, 1, 111.05, ""},
			{timeline.Killing, 1, 190.25, ""}, // new container seen at 111.55; probes from 120.2
			{timeline.Started, 2, 221.05, ""},
		},
		term: &scenarios.Termination{Reason: "Error", ExitCode: 137},
	}, {
		// The seed with initialDelaySeconds 15: the tick at 10.2 is skipped
		// (int(9.2 s) < 15), so probes start at 20.2 and the kill moves one
		// period later, to 90.25; so does every later cycle.
		name: "seed with initialDelaySeconds 15", s: scenario("fail-after", 5, "exit", httpProbe("/", 0, 0, 15)),
		want: []at{
			{timeline.Killing, 0, 90.25, ""}, {timeline.Started, 1, 91.05, ""},
			{timeline.Killing, 1, 180.25, ""},
		},
		term: &scenarios.Termination{Reason: "Error", ExitCode: 143},
	}, {
		// SIGTERM drained: exit 0, reason Completed, at once.
		name: "drain: exit 0 Completed", s: seed("drain"),
		want: []at{{timeline.Terminated, 0, 80.30, ""}},
		term: &scenarios.Termination{Reason: "Completed", ExitCode: 0},
	}, {
		// hang: the 6th probe gets no answer; the HTTP client gives up after
		// timeoutSeconds, so each failure lands 1 s after its tick.
		name: "hang caught by timeoutSeconds", s: scenario("hang", 5, "exit", httpProbe("/", 0, 0, 0)),
		want: []at{
			{timeline.ProbeFailed, 0, 61.2, `Get "http://{podIP}:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`},
			{timeline.Killing, 0, 81.25, ""},
		},
	}, {
		// deadlock with drain: the deadlocked request never finishes, so the
		// drain waits until SIGKILL at the end of the grace period.
		name: "deadlock with drain: SIGKILL after the grace", s: scenario("deadlock", 5, "drain", httpProbe("/", 0, 0, 0)),
		want: []at{{timeline.Killing, 0, 81.25, ""}, {timeline.Terminated, 0, 111.30, ""}},
		term: &scenarios.Termination{Reason: "Error", ExitCode: 137},
	}, {
		// Probe-level terminationGracePeriodSeconds wins over the pod's.
		name: "probe-level grace 5 s", s: with(seed("ignore"), func(s *scenarios.Scenario) {
			s.Pod.LivenessProbe.TerminationGracePeriodSeconds = ptr(int64(5))
		}),
		want: []at{{timeline.Terminated, 0, 85.30, ""}, {timeline.Started, 1, 86.05, ""}},
	}, {
		// … and never goes below minimumGracePeriodInSeconds = 2.
		name: "grace below 2 s is 2 s", s: with(seed("ignore"), func(s *scenarios.Scenario) {
			s.Pod.TerminationGracePeriodSeconds = ptr(int64(1))
		}),
		want: []at{{timeline.Terminated, 0, 82.30, ""}},
	}, {
		// restartPolicy Never: nothing is left to keep or start, so
		// computePodActions sets KillPod and SyncPod kills the whole pod with
		// reason unknown: the event says "Stopping container", and the pod's
		// 30 s grace applies, not the probe's 5 s.
		name: "restartPolicy Never", s: with(seed("ignore"), func(s *scenarios.Scenario) {
			s.Pod.RestartPolicy = corev1.RestartPolicyNever
			s.Pod.LivenessProbe.TerminationGracePeriodSeconds = ptr(int64(5))
		}),
		want: []at{{timeline.Killing, 0, 80.25, "Stopping container test2"}, {timeline.Terminated, 0, 110.30, ""}},
		none: []timeline.Kind{timeline.BackOff}, most: ptr(0),
	}, {
		// crash: the 6th request (a probe) makes faultyapp exit with -exit-code
		// (gone 50 ms later). The PLEG sees it (0.5 s); there is no back-off
		// entry yet, so the restart is immediate. The 2nd crash meets a 10 s
		// back-off: the pod worker requeues for the 9.5 s left, ×1.25 mean
		// jitter, + 0.5 s tick, and only that sync shows CrashLoopBackOff.
		name: "crash loop", s: with(scenario("crash", 5, "exit", httpProbe("/", 0, 0, 0)), func(s *scenarios.Scenario) {
			s.App.ExitCode = ptr(3)
		}),
		want: []at{
			{timeline.Terminated, 0, 60.25, ""}, {timeline.ProbeFailed, 0, 60.2, `Get "http://{podIP}:8080/": EOF`},
			{timeline.Started, 1, 61.45, ""}, {timeline.Terminated, 1, 120.25, ""},
			{timeline.BackOff, 1, 133.125, "back-off 10s restarting failed container=test2"},
			{timeline.Started, 2, 133.825, ""},
			{timeline.BackOff, 2, 215.625, "back-off 20s "}, {timeline.Started, 3, 216.325, ""},
		},
		none: []timeline.Kind{timeline.Killing},
		term: &scenarios.Termination{Reason: "Error", ExitCode: 3},
	}, {
		// A classroom kubelet with maxContainerRestartPeriod 5s: the cap is
		// also the first delay, shorter than the 16 s lifetime, so nothing
		// is ever held back.
		name: "maxContainerRestartPeriod 5s", s: scenario("fail-after", 5, "exit", httpProbe("/", 2, 3, 1)),
		k:    Kubelet{MaxContainerRestartPeriod: 5 * time.Second},
		want: []at{{timeline.Started, 1, 17.05, ""}, {timeline.Started, 10, 17.05 + 9*16, ""}},
		none: []timeline.Kind{timeline.BackOff},
	}, {
		// slow-start without initialDelay: killed at the 3rd refused probe,
		// before it ever listens, again and again.
		name: "slow-start killed before it listens", s: with(scenario("slow-start", -1, "exit", httpProbe("/", 0, 0, 0)), func(s *scenarios.Scenario) {
			s.App.Startup = dur(60 * time.Second)
		}),
		want: []at{
			{timeline.ProbeFailed, 0, 10.2, "dial tcp {podIP}:8080: connect: connection refused"},
			{timeline.Killing, 0, 30.25, ""}, {timeline.Killing, 1, 60.25, ""},
		},
	}, {
		// … fixed by initialDelaySeconds 60: the first probe (70.2) finds it listening.
		name: "slow-start fixed by initialDelaySeconds", s: with(scenario("slow-start", -1, "exit", httpProbe("/", 0, 0, 60)), func(s *scenarios.Scenario) {
			s.App.Startup = dur(60 * time.Second)
		}),
		none: []timeline.Kind{timeline.Killing, timeline.ProbeFailed},
	}, {
		// … or by a startup probe: refused until 61 s, it passes at 70.2;
		// liveness waits for it, so nothing is killed.
		name: "slow-start fixed by a startup probe", s: with(scenario("slow-start", -1, "exit", httpProbe("/", 0, 0, 0)), func(s *scenarios.Scenario) {
			s.App.Startup = dur(60 * time.Second)
			s.Pod.StartupProbe = httpProbe("/", 10, 30, 0)
		}),
		want: []at{{timeline.ProbeFailed, 0, 60.2, "Startup probe failed: "}},
		none: []timeline.Kind{timeline.Killing},
	}, {
		// Readiness alone never restarts: Ready after the probe triggered when
		// the container shows up (1.5 s); the 6th request (26.5) fails; the
		// 3rd failure in a row (36.5) makes it NotReady.
		name: "readiness fails without restarts", s: with(scenario("fail-after", 5, "exit", nil), func(s *scenarios.Scenario) {
			s.Pod.ReadinessProbe = httpProbe("/", 5, 3, 0)
		}),
		want: []at{{timeline.Ready, 0, 1.5, ""}, {timeline.NotReady, 0, 36.5, ""}},
		none: []timeline.Kind{timeline.Killing}, most: ptr(0),
	}, {
		// Readiness requests count too: readiness at 1.5, 11.5, 21.5 and
		// liveness at 10.2, 20.2 spend the five good answers, so liveness
		// fails from 30.2 and the kill comes at 50.25 instead of 80.25.
		name: "readiness spends the request budget", s: with(seed("exit"), func(s *scenarios.Scenario) {
			s.Pod.ReadinessProbe = httpProbe("/", 10, 3, 0)
		}),
		want: []at{{timeline.ProbeFailed, 0, 30.2, "Liveness probe failed"}, {timeline.Killing, 0, 50.25, ""}},
	}, {
		// heavy-health: 250 ms of CPU under a 100m limit takes ~2.5 s of wall
		// time, more than timeoutSeconds 1: every probe times out.
		name: "heavy-health under a CPU limit", s: with(healthz("heavy-health"), func(s *scenarios.Scenario) {
			s.App.Resources = limits(corev1.ResourceCPU, "100m")
		}),
		want: []at{{timeline.ProbeFailed, 0, 11.2, "context deadline exceeded"}, {timeline.Killing, 0, 31.25, ""}},
	}, {
		name: "heavy-health without a CPU limit", s: healthz("heavy-health"),
		none: []timeline.Kind{timeline.Killing, timeline.ProbeFailed},
	}, {
		// auth-health and dependency fail from the first probe.
		name: "auth-health: 401", s: healthz("auth-health"),
		want: []at{{timeline.ProbeFailed, 0, 10.2, "HTTP probe failed with statuscode: 401"}, {timeline.Killing, 0, 30.25, ""}},
	}, {
		name: "auth-health with the token", s: with(healthz("auth-health"), func(s *scenarios.Scenario) {
			s.Pod.LivenessProbe.HTTPGet.HTTPHeaders = []corev1.HTTPHeader{{Name: "Authorization", Value: "Bearer letmein"}}
		}),
		none: []timeline.Kind{timeline.Killing},
	}, {
		name: "dependency: 503", s: healthz("dependency"),
		want: []at{{timeline.ProbeFailed, 0, 10.2, "statuscode: 503"}, {timeline.Killing, 0, 30.25, ""}},
	}, {
		name: "gRPC: NOT_SERVING after 5 checks", s: scenario("grpc", 5, "exit", grpcProbe()),
		want: []at{{timeline.ProbeFailed, 0, 60.2, `Liveness probe failed: service unhealthy (responded with "NOT_SERVING")`}, {timeline.Killing, 0, 80.25, ""}},
	}, {
		// tcp-close counts connections: the 5th is served, the 6th refused.
		name: "tcp-close with a TCP probe", s: scenario("tcp-close", 5, "exit", tcpProbe()),
		want: []at{{timeline.ProbeFailed, 0, 60.2, "Liveness probe failed: dial tcp {podIP}:8080: connect: connection refused"}, {timeline.Killing, 0, 80.25, ""}},
	}, {
		// exec-file on a timer: exec probes send no request, so afterTime 30s
		// removes the file at 31 s; the probes at 40.2, 50.2, 60.2 fail, each
		// result 0.1 s later (runc exec).
		name: "exec-file on a timer", s: with(scenario("exec-file", 1000, "exit", execProbe()), func(s *scenarios.Scenario) {
			s.App.AfterTime = dur(30 * time.Second)
		}),
		want: []at{{timeline.ProbeFailed, 0, 40.3, "Liveness probe failed: "}, {timeline.Killing, 0, 60.35, ""}},
	}, {
		// `faultyapp check` looks at the file when runc has started it, not
		// at the tick: removed at 40.25 s, between the tick at 40.2 and the
		// check at 40.3, the file is already missing for that probe
		// (replay seed-exec-check-after-tick).
		name: "exec-file removed between the tick and the check", s: with(scenario("exec-file", 1000, "exit", execProbe()), func(s *scenarios.Scenario) {
			s.App.AfterTime = dur(39250 * time.Millisecond)
		}),
		want: []at{{timeline.ProbeFailed, 0, 40.3, "Liveness probe failed: "}, {timeline.Killing, 0, 60.35, ""}},
	}, {
		// leak: from the 6th request (60.2) faultyapp grows by 10 MiB/s from
		// ~8 MiB, so a 64Mi limit kills it 5.6 s later (gone 50 ms after);
		// OOMKilled, no probe kill.
		name: "leak OOMKilled", s: with(scenario("leak", 5, "exit", httpProbe("/", 0, 0, 0)), func(s *scenarios.Scenario) {
			s.App.Resources = limits(corev1.ResourceMemory, "64Mi")
		}),
		want: []at{{timeline.Terminated, 0, 65.85, ""}, {timeline.Started, 1, 67.05, ""}},
		none: []timeline.Kind{timeline.Killing},
		term: &scenarios.Termination{Reason: "OOMKilled", ExitCode: 137},
	}, {
		name: "healthy app", s: scenario("none", -1, "exit", httpProbe("/", 0, 0, 0)), horizon: 15 * time.Minute,
		none: []timeline.Kind{timeline.Killing, timeline.ProbeFailed, timeline.Terminated}, most: ptr(0),
	}}
}
