package scenarios

import (
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// valid is a small scenario that passes Validate; each case breaks one thing.
func valid() *Scenario {
	return &Scenario{
		Name:   "mine",
		File:   "mine.yaml",
		Title:  "mine",
		Teach:  Text{EN: "what happens and why"},
		Labels: []string{LabelLiveness, LabelHTTP},
		App:    App{Fault: FaultFailAfter},
		Pod:    Pod{LivenessProbe: httpProbe("/", 8080, 2)},
		Expect: Expect{Restarts: &RestartCount{Min: 1, Within: dur(time.Minute)}},
	}
}

func httpProbe(path string, port, period int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt32(port)}},
		PeriodSeconds: period,
	}
}

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }
func ptr[T any](v T) *T                    { return &v }

func TestValidateAcceptsValid(t *testing.T) {
	s := valid()
	s.SetDefaults()
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Scenario)
		want   []string // substrings of the error, all required
	}{
		{"probe without handler", func(s *Scenario) { s.Pod.LivenessProbe.HTTPGet = nil },
			[]string{"mine.yaml: pod.livenessProbe: no handler; set one of httpGet, tcpSocket, exec, grpc"}},
		{"two handlers", func(s *Scenario) {
			s.Pod.LivenessProbe.TCPSocket = &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}
		}, []string{"pod.livenessProbe: more than one handler (httpGet, tcpSocket); keep one"}},
		{"unknown fault", func(s *Scenario) { s.App.Fault = "explode" },
			[]string{`app.fault: "explode" is not a faultyapp fault; use one of none, fail-after`}},
		{"unknown onSigterm", func(s *Scenario) { s.App.OnSigterm = "panic" },
			[]string{`app.onSigterm: "panic" is not a SIGTERM mode; use one of exit, drain, ignore`}},
		{"port not served", func(s *Scenario) { s.Pod.LivenessProbe.HTTPGet.Port = intstr.FromInt32(80) },
			[]string{"pod.livenessProbe.httpGet.port: 80 is not served by the app (app.port is 8080); use 8080 or the port name http"}},
		{"unknown port name", func(s *Scenario) { s.Pod.LivenessProbe.HTTPGet.Port = intstr.FromString("web") },
			[]string{"pod.livenessProbe.httpGet.port: web is not served"}},
		{"named port is fine", func(s *Scenario) { s.Pod.LivenessProbe.HTTPGet.Port = intstr.FromString("http") }, nil},
		{"exec with a shell", func(s *Scenario) {
			s.App = App{Fault: FaultExecFile, AfterTime: dur(10 * time.Second)}
			s.Pod.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{
				Command: []string{"sh", "-c", "cat /tmp/healthy"}}}}
			s.Labels = []string{LabelLiveness, LabelExec}
		}, []string{`pod.livenessProbe.exec.command: ["sh" "-c" "cat /tmp/healthy"] does not run faultyapp check on /tmp/healthy; use command: ["/faultyapp", "check", "-file", "/tmp/healthy"]`}},
		{"exec without exec-file", func(s *Scenario) {
			s.Pod.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{
				Command: []string{"/faultyapp", "check", "-file", "/tmp/healthy"}}}}
			s.Labels = []string{LabelLiveness, LabelExec}
		}, []string{"pod.livenessProbe.exec.command: only fault exec-file creates the health file"}},
		{"grpc without fault grpc", func(s *Scenario) {
			s.Pod.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 8080}}}
			s.Labels = []string{LabelLiveness, LabelGRPC}
		}, []string{"pod.livenessProbe.grpc: only fault grpc turns faultyapp's gRPC health NOT_SERVING, not fail-after; set app.fault: grpc"}},
		{"name differs from file", func(s *Scenario) { s.File = "scenarios/catalog/other.yaml" },
			[]string{`scenarios/catalog/other.yaml: name: "mine" does not match the file name; set name: other or rename the file to mine.yaml`}},
		{"bad name", func(s *Scenario) { s.Name, s.File = "Mine_1", "" },
			[]string{`scenario "Mine_1": name: "Mine_1" is not a DNS label`}},
		{"unknown label", func(s *Scenario) { s.Labels = append(s.Labels, "fast") },
			[]string{`labels[2]: "fast" is not a known label; use one of seed, liveness`}},
		{"missing derived label", func(s *Scenario) { s.Labels = []string{LabelLiveness} },
			[]string{"labels: http is missing; add http"}},
		{"label that does not apply", func(s *Scenario) { s.Labels = append(s.Labels, LabelReadiness) },
			[]string{"labels: readiness does not apply; remove readiness"}},
		{"slow without label", func(s *Scenario) { s.Expect.Restarts.Within = dur(5 * time.Minute) },
			[]string{"labels: expectations need 5m0s (more than 3m0s); add slow"}},
		{"empty teach", func(s *Scenario) { s.Teach.EN = " " }, []string{"teach.en: empty"}},
		{"seed without zh", func(s *Scenario) {
			s.Seed = "3.使用存活探针"
			s.Labels = append(s.Labels, LabelSeed)
		}, []string{"teach.zh: empty while seed is set"}},
		{"unknown seed section", func(s *Scenario) {
			s.Seed, s.Teach.ZH = "6.不存在", "中文"
			s.Labels = append(s.Labels, LabelSeed)
		}, []string{`seed: "6.不存在" is not a section of the seed`}},
		{"no expectations", func(s *Scenario) { s.Expect = Expect{} },
			[]string{"expect: nothing to assert; add at least one"}},
		{"restarts with a fault that never fails", func(s *Scenario) { s.App.Fault = FaultNone },
			[]string{"expect.restarts.min: 1 restart, but nothing here can restart the container (fault none, restartPolicy Always)"}},
		{"restarts with restartPolicy Never", func(s *Scenario) { s.Pod.RestartPolicy = corev1.RestartPolicyNever },
			[]string{"nothing here can restart the container (fault fail-after, restartPolicy Never)"}},
		{"restarts sooner than possible", func(s *Scenario) { s.Expect.Restarts.Within = dur(10 * time.Second) },
			[]string{"expect.restarts.within: 10s is too soon for 1 restart: each container lives at least 14s (the fault starts at 10s (initialDelaySeconds 0 + after 5 × periodSeconds 2); then livenessProbe needs failureThreshold 3 failures, periodSeconds 2 apart); raise it to more than 14s"}},
		{"several restarts sooner than possible", func(s *Scenario) {
			s.Expect.Restarts = &RestartCount{Min: 5, Within: dur(time.Minute)}
		}, []string{"1m0s is too soon for 5 restarts", "raise it to more than 1m10s"}},
		{"slow start probed late enough", func(s *Scenario) {
			s.App = App{Fault: FaultSlowStart, Startup: dur(10 * time.Second)}
			s.Pod.LivenessProbe.InitialDelaySeconds = 15
		}, []string{"expect.restarts.min: 1 restart, but nothing here can restart"}},
		{"healthz fault probed on /", func(s *Scenario) { s.App.Fault = FaultAuthHealth },
			[]string{"pod: fault auth-health lives in /healthz but no probe calls it; point an httpGet probe at path /healthz"}},
		{"counted fault without requests", func(s *Scenario) {
			s.Pod.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}}}
			s.Labels = []string{LabelLiveness, LabelTCP}
			s.Expect = Expect{NoRestartsFor: dur(time.Minute)}
		}, []string{"app.fault: fail-after begins after 5 requests, but no probe sends any; add an httpGet probe"}},
		{"flag of another fault", func(s *Scenario) { s.App.ExitCode = ptr(3) },
			[]string{"app.exitCode: only used by fault crash, not fail-after; remove it"}},
		{"health file in /", func(s *Scenario) {
			s.App = App{Fault: FaultExecFile, AfterTime: dur(10 * time.Second), HealthFile: "/healthy"}
		}, []string{`app.healthFile: "/healthy" is not absolute or sits in /`}},
		{"leak without limit", func(s *Scenario) { s.App = App{Fault: FaultLeak} },
			[]string{"app.resources.limits.memory: leak without a memory limit"}},
		{"negative durations", func(s *Scenario) {
			s.App.AfterTime = dur(-time.Second)
			s.Expect.NoRestartsFor = dur(-time.Second)
			s.Expect.Restarts = nil
			s.Pod.TerminationGracePeriodSeconds = ptr(int64(-1))
			s.Pod.LivenessProbe.InitialDelaySeconds = -3
		}, []string{"app.afterTime: -1s is negative", "expect.noRestartsFor: -1s is negative",
			"pod.terminationGracePeriodSeconds: -1 is negative", "pod.livenessProbe.initialDelaySeconds: -3 is negative"}},
		{"liveness successThreshold", func(s *Scenario) { s.Pod.LivenessProbe.SuccessThreshold = 2 },
			[]string{"pod.livenessProbe.successThreshold: 2 for a liveness probe; leave it out"}},
		{"readiness grace period", func(s *Scenario) {
			s.Pod.ReadinessProbe = httpProbe("/", 8080, 2)
			s.Pod.ReadinessProbe.TerminationGracePeriodSeconds = ptr(int64(3))
			s.Labels = append(s.Labels, LabelReadiness)
		}, []string{"pod.readinessProbe.terminationGracePeriodSeconds: set on a readiness probe"}},
		{"deployment with Never", func(s *Scenario) {
			s.Pod.Kind, s.Pod.RestartPolicy = KindDeployment, corev1.RestartPolicyNever
			s.Expect = Expect{NoRestartsFor: dur(time.Minute)}
		}, []string{"pod.restartPolicy: Never with kind Deployment"}},
		{"calm contradicts restarts", func(s *Scenario) { s.Expect.NoRestartsFor = dur(2 * time.Minute) },
			[]string{"expect.noRestartsFor: 2m0s of calm contradicts 1 restart within 1m0s"}},
		{"back-off needs restarts", func(s *Scenario) { s.Expect.BackOffSchedule = true },
			[]string{"expect.backOffSchedule: needs at least 2 restarts; set expect.restarts.min to 2 or more"}},
		{"notReady needs readiness and a Service", func(s *Scenario) { s.Expect.NotReadyWithin = dur(time.Minute) },
			[]string{"expect.notReadyWithin: only a readiness probe makes a pod NotReady", "expect.notReadyWithin: leaving the endpoints needs a Service"}},
		{"event of the wrong type", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Normal", Reason: "Unhealthy", Message: "Liveness probe failed: x"}}
		},
			[]string{`expect.events[0].type: Unhealthy events are Warning, not "Normal"; set type: Warning`}},
		{"unknown event reason", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Normal", Reason: "Restarted", Message: "x"}}
		},
			[]string{`expect.events[0].reason: "Restarted" is not a kubelet event reason probedrill knows`}},
		{"both message forms", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Normal", Reason: "Killing", Message: "x", MessageRegexp: "x"}}
		}, []string{"expect.events[0]: needs one message; set exactly one of message and messageRegexp"}},
		{"kubelet wording", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Normal", Reason: "Killing", Message: "Container {container} failed the liveness probe"}}
		}, []string{`expect.events[0].message: "Container {container} failed the liveness probe" is not how the kubelet words a Killing event`}},
		{"unknown placeholder", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Warning", Reason: "BackOff", MessageRegexp: "{name}"}}
		}, []string{"expect.events[0].messageRegexp: unknown placeholder {name}; use {container}, {pod}, {namespace}, {uid}"}},
		{"bad regexp", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Warning", Reason: "Unhealthy", MessageRegexp: "(("}}
		},
			[]string{"expect.events[0].messageRegexp: error parsing regexp"}},
		{"event about a missing probe", func(s *Scenario) {
			s.Expect.Events = []EventExpect{{Type: "Warning", Reason: "Unhealthy", Message: "Readiness probe failed: HTTP probe failed with statuscode: 500"}}
		}, []string{"expect.events[0].message: expects a readiness probe event but the pod has no readinessProbe"}},
		{"will be restarted under Never", func(s *Scenario) {
			s.Pod.RestartPolicy = corev1.RestartPolicyNever
			s.Expect = Expect{Events: []EventExpect{{Type: "Normal", Reason: "Killing", Message: "Container {container} failed liveness probe, will be restarted"}}}
		}, []string{`expect.events[0].message: restartPolicy is Never; drop ", will be restarted"`}},
		{"termination of another SIGTERM mode", func(s *Scenario) {
			s.Expect.LastTermination = &Termination{Reason: "Error", ExitCode: 137}
		}, []string{"expect.lastTermination: Error 137 cannot happen here; onSigterm exit dies of SIGTERM at once (128+15): expect Error 143"}},
		{"termination of a leak", func(s *Scenario) {
			s.App = App{Fault: FaultLeak, AfterTime: dur(time.Second), Resources: corev1.ResourceRequirements{
				Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("64Mi")}}}
			s.Expect.LastTermination = &Termination{Reason: "Error", ExitCode: 137}
		}, []string{"(SIGKILL, 128+9): expect OOMKilled 137"}},
		{"termination reason unknown", func(s *Scenario) { s.Expect.LastTermination = &Termination{Reason: "Killed", ExitCode: 143} },
			[]string{`expect.lastTermination.reason: "Killed" is not a reason containerd reports`}},
		{"toleration without node failure", func(s *Scenario) { s.Pod.UnreachableTolerationSeconds = ptr(int64(10)) },
			[]string{"pod.unreachableTolerationSeconds: only matters when the node fails; remove it, or expect a nodeFailure"}},
		{"node failure of the wrong kind", func(s *Scenario) {
			s.Expect.NodeFailure = NodeFailureRecreated
			s.Labels = append(s.Labels, LabelNodeFailure)
		}, []string{"expect.nodeFailure: recreated does not fit kind Pod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(s)
			s.SetDefaults()
			checkProblems(t, s.Validate(), tt.want)
		})
	}
}

// checkProblems fails unless err holds every wanted substring (or is nil
// when nothing is wanted).
func checkProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		return
	}
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("Validate = %v, want an *InvalidError", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q; got:\n%v", w, err)
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := valid()
	s.App.Fault = "explode"
	s.Teach.EN = ""
	s.Pod.LivenessProbe.HTTPGet.Port = intstr.FromInt32(1)
	s.SetDefaults()
	var inv *InvalidError
	if err := s.Validate(); !errors.As(err, &inv) || len(inv.Problems) < 3 {
		t.Fatalf("Validate = %v, want at least 3 problems", err)
	}
}

func TestValidateQuantities(t *testing.T) {
	s := valid()
	s.App.Resources = corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("200m")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
	}
	s.SetDefaults()
	checkProblems(t, s.Validate(), []string{"app.resources.requests.cpu: 200m is more than the limit 100m"})
}
