package probecheck

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/probedrill/probedrill/scenarios"
)

// Drill is one fault's synthetic scenario: faultyapp with the fault, behind
// the user's probes.
type Drill struct {
	Fault string
	Must  Must
	// App says what faultyapp does, in a few words for the report's table;
	// Story says it in a clause that follows "the app" in a sentence.
	App, Story string
	// Note says how the fault was adapted to the probes, if it was.
	Note string
	// Skipped says why the fault does not apply; Scenario is nil then.
	Skipped  string
	Scenario *scenarios.Scenario
}

// requestCeiling is expect.restarts.max of a check scenario: never reached.
// The expectation only makes drill.Wait watch the whole window (a max is
// decided at its deadline), so the restarts in the window can be counted
// whatever the probe does.
const requestCeiling = 10000

// drills builds one scenario per fault, without expectations yet: the
// window they are watched for is sized from their predictions.
func (c *Config) drills(o Options) []Drill {
	var out []Drill
	for _, f := range o.faults() {
		out = append(out, c.drill(f, o))
	}
	return out
}

// finish sets the watch-only expectation and the labels, then validates.
func finish(s *scenarios.Scenario, window time.Duration) error {
	ceiling := requestCeiling
	s.Expect = scenarios.Expect{Restarts: &scenarios.RestartCount{
		Min: 0, Max: &ceiling, Within: &metav1.Duration{Duration: window},
	}}
	s.SetDefaults()
	s.Labels = labelsOf(s)
	return s.Validate()
}

// drill builds fault f's scenario, without expectations yet.
func (c *Config) drill(f string, o Options) Drill {
	d := Drill{Fault: f, Must: MustOf(f)}
	app := scenarios.App{Fault: f, OnSigterm: o.OnSigterm}
	switch f {
	case scenarios.FaultSlowStart:
		app.Startup = &metav1.Duration{Duration: o.Startup}
		d.App, d.Story = "listens after "+o.Startup.String(), "needs "+o.Startup.String()+" before it listens"
	case scenarios.FaultHeavyHealth:
		if c.HealthPath == "" {
			d.Skipped = "a tcpSocket liveness probe runs no health check, so a slow one cannot fail it"
			return d
		}
		app.Cost = &metav1.Duration{Duration: o.Cost}
		d.App, d.Story = c.heavy(&app, o)
	default:
		after := o.After
		app.After = &after
		d.App = fmt.Sprintf("%s after %d requests", verb(f), after)
		d.Story = fmt.Sprintf("%s from request %d on", story(f), after+1)
		if !c.sendsRequests() {
			at := c.faultTimer(after)
			app.AfterTime = &metav1.Duration{Duration: at}
			d.App = fmt.Sprintf("%s from +%s", verb(f), at)
			d.Story = fmt.Sprintf("%s from +%s on", story(f), at)
			d.Note = "no probe sends HTTP requests, so the fault begins on a timer instead of a request count"
		}
	}
	d.Scenario = c.scenario("check-"+f, app)
	if f == scenarios.FaultHeavyHealth {
		d.Note = c.pointAtHealthz(d.Scenario)
	}
	return d
}

// verb words a counted fault for the report.
func verb(fault string) string {
	switch fault {
	case scenarios.FaultHang:
		return "hangs"
	case scenarios.FaultDeadlock:
		return "deadlocks"
	}
	return "500s"
}

// story words a counted fault in a sentence.
func story(fault string) string {
	switch fault {
	case scenarios.FaultHang:
		return "stops answering"
	case scenarios.FaultDeadlock:
		return "deadlocks"
	}
	return "answers 500"
}

// sendsRequests reports whether a probe sends HTTP requests: only those
// count toward faultyapp's -after.
func (c *Config) sendsRequests() bool {
	for _, p := range []*corev1.Probe{c.Liveness, c.Readiness, c.Startup} {
		if p != nil && p.HTTPGet != nil {
			return true
		}
	}
	return false
}

// faultTimer is when a counted fault begins without requests to count: when
// the liveness probe would have sent them.
func (c *Config) faultTimer(after int) time.Duration {
	p := c.Liveness
	return time.Duration(p.InitialDelaySeconds)*time.Second + time.Duration(after)*time.Duration(p.PeriodSeconds)*time.Second
}

// heavy sets heavy-health's CPU limit and words what the check costs.
func (c *Config) heavy(app *scenarios.App, o Options) (short, long string) {
	lim := o.CPULimit
	if lim == nil {
		lim = c.Input.CPULimit
	}
	if lim == nil {
		return fmt.Sprintf("%s check, no limit", o.Cost),
			fmt.Sprintf("burns %s of CPU per health check (no CPU limit)", o.Cost)
	}
	req := resource.MustParse("10m")
	if lim.Cmp(req) < 0 {
		req = lim.DeepCopy()
	}
	app.Resources = corev1.ResourceRequirements{
		Limits:   corev1.ResourceList{corev1.ResourceCPU: lim.DeepCopy()},
		Requests: corev1.ResourceList{corev1.ResourceCPU: req},
	}
	wall := HealthWall(o.Cost, lim)
	return fmt.Sprintf("~%s check at %s", wall, lim),
		fmt.Sprintf("answers its health check in ~%s under a %s CPU limit (%s of CPU)", wall, lim, o.Cost)
}

// HealthWall is how long a health check burning cost of CPU takes under a
// CPU limit: the CFS quota lets it run limit/1000m of the time. It is the
// predictor's model (internal/predict resourceTimes), written out here for
// the report and the advice.
func HealthWall(cost time.Duration, limit *resource.Quantity) time.Duration {
	if limit == nil {
		return cost
	}
	m := limit.MilliValue()
	if m <= 0 || m >= 1000 {
		return cost
	}
	return (cost * 1000 / time.Duration(m)).Round(100 * time.Millisecond)
}

// pointAtHealthz: faultyapp's heavy check lives in GET /healthz only, so
// every probe on the user's health path is pointed there; the user's app
// would run its health check on that path, which is the point.
func (c *Config) pointAtHealthz(s *scenarios.Scenario) string {
	for _, p := range []*corev1.Probe{s.Pod.LivenessProbe, s.Pod.ReadinessProbe, s.Pod.StartupProbe} {
		if p != nil && p.HTTPGet != nil && p.HTTPGet.Path == c.HealthPath {
			p.HTTPGet.Path = scenarios.HealthzPath
		}
	}
	if c.HealthPath == scenarios.HealthzPath {
		return ""
	}
	return fmt.Sprintf("faultyapp's health check is %s: probes on your health path %s were pointed there", scenarios.HealthzPath, c.HealthPath)
}

// scenario is the user's probes and pod settings with faultyapp behind them.
func (c *Config) scenario(name string, app scenarios.App) *scenarios.Scenario {
	app.Port = c.Port
	var grace *int64
	if c.Grace != nil {
		g := *c.Grace
		grace = &g
	}
	return &scenarios.Scenario{
		Name:  name,
		Title: fmt.Sprintf("probedrill check: %s against fault %s", c.source(), app.Fault),
		Teach: scenarios.Text{EN: fmt.Sprintf("faultyapp stands in for the app of %s, behind its own probe settings, with fault %s.", c.source(), app.Fault)},
		App:   app,
		Pod: scenarios.Pod{
			Name:                          labelOr(c.Input.Name, "check"),
			ContainerName:                 labelOr(c.Input.Container, scenarios.DefaultContainerName),
			TerminationGracePeriodSeconds: grace,
			LivenessProbe:                 c.Liveness.DeepCopy(),
			ReadinessProbe:                c.Readiness.DeepCopy(),
			StartupProbe:                  c.Startup.DeepCopy(),
		},
	}
}

// source names what is checked: "Deployment web, container web" or the file.
func (c *Config) source() string {
	if c.Input.Workload == "" {
		return "the probe in " + c.Input.File
	}
	return fmt.Sprintf("%s, container %s", c.Input.Workload, c.Input.Container)
}

// labelOr keeps a user's name when it can name a pod or container as is.
func labelOr(name, def string) string {
	if len(validation.IsDNS1123Label(name)) == 0 {
		return name
	}
	return def
}

// labelsOf derives the labels scenarios.Validate requires from content.
func labelsOf(s *scenarios.Scenario) []string {
	var out []string
	p := s.Pod
	add := func(ok bool, l string) {
		if ok {
			out = append(out, l)
		}
	}
	probes := []*corev1.Probe{p.LivenessProbe, p.ReadinessProbe, p.StartupProbe}
	add(p.LivenessProbe != nil, scenarios.LabelLiveness)
	add(p.ReadinessProbe != nil, scenarios.LabelReadiness)
	add(p.StartupProbe != nil, scenarios.LabelStartup)
	add(anyProbe(probes, func(q *corev1.Probe) bool { return q.HTTPGet != nil }), scenarios.LabelHTTP)
	add(anyProbe(probes, func(q *corev1.Probe) bool { return q.TCPSocket != nil }), scenarios.LabelTCP)
	if r := s.Expect.Restarts; r != nil && r.Within != nil {
		add(r.Within.Duration > scenarios.SlowAfter, scenarios.LabelSlow)
	}
	return out
}

func anyProbe(ps []*corev1.Probe, f func(*corev1.Probe) bool) bool {
	for _, p := range ps {
		if p != nil && f(p) {
			return true
		}
	}
	return false
}
