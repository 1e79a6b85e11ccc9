package scenarios

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"path"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func (s *Scenario) validateApp(ps *Problems) {
	a := s.App
	if !oneOf(a.Fault, Faults()) {
		ps.Add("app.fault", "use one of "+list(Faults()), "%q is not a faultyapp fault", a.Fault)
		return // the other checks depend on the fault
	}
	ps.Check(oneOf(a.OnSigterm, SigtermModes()), "app.onSigterm", "use one of "+list(SigtermModes()),
		"%q is not a SIGTERM mode", a.OnSigterm)
	ps.Check(a.Port >= 1 && a.Port <= 65535, "app.port", "use 1 to 65535, e.g. 8080", "%d is not a port", a.Port)
	s.validateFaultFlags(ps)
	s.validateDriver(ps)
	s.validateHealthzProbe(ps)
	s.validateResources(ps)
}

// validateFaultFlags: each fault flag is set only for the fault that reads
// it (a stray one would make the reader think it matters), in range.
func (s *Scenario) validateFaultFlags(ps *Problems) {
	a, f := s.App, s.App.Fault
	only := func(set bool, field string, ok bool, users string) {
		ps.Check(!set || ok, "app."+field, "remove it", "only used by fault %s, not %s", users, f)
	}
	counted := Counted(f)
	only(a.After != nil, "after", counted, "fail-after, hang, deadlock, crash, tcp-close, exec-file, leak or grpc")
	only(a.AfterTime != nil, "afterTime", counted, "fail-after, hang, deadlock, crash, tcp-close, exec-file, leak or grpc")
	only(a.ExitCode != nil, "exitCode", f == FaultCrash, FaultCrash)
	only(a.HealthFile != "", "healthFile", f == FaultExecFile, FaultExecFile)
	only(a.P != nil, "p", f == FaultFlaky, FaultFlaky)
	only(a.Cost != nil, "cost", f == FaultHeavyHealth, FaultHeavyHealth)
	only(a.Dependency != "", "dependency", f == FaultDependency, FaultDependency)
	if a.After != nil {
		ps.Check(*a.After >= 0, "app.after", "use 0 or more requests", "%d is negative", *a.After)
	}
	nonNegative(ps, "app.afterTime", a.AfterTime)
	nonNegative(ps, "app.startup", a.Startup)
	nonNegative(ps, "app.cost", a.Cost)
	if a.ExitCode != nil {
		ps.Check(*a.ExitCode >= 0 && *a.ExitCode <= 255, "app.exitCode", "use 0 to 255", "%d is not an exit code", *a.ExitCode)
	}
	if a.P != nil {
		ps.Check(!math.IsNaN(*a.P) && *a.P >= 0 && *a.P <= 1, "app.p", "use a probability from 0 to 1, e.g. 0.3", "%v is not a probability", *a.P)
	}
	s.validateFaultNeeds(ps)
}

// validateFaultNeeds: the settings a fault cannot work without.
func (s *Scenario) validateFaultNeeds(ps *Problems) {
	a := s.App
	switch a.Fault {
	case FaultSlowStart:
		ps.Check(a.Startup != nil && a.Startup.Duration > 0, "app.startup",
			"set how long the app takes to listen, e.g. 40s", "slow-start needs it")
	case FaultExecFile:
		// The root filesystem is read-only; the renderer mounts an emptyDir
		// on the file's directory, which therefore cannot be / itself.
		ok := path.IsAbs(a.HealthFile) && path.Dir(path.Clean(a.HealthFile)) != "/"
		ps.Check(ok, "app.healthFile", "use an absolute path in a directory of its own, e.g. /tmp/healthy",
			"%q is not absolute or sits in /", a.HealthFile)
	case FaultDependency:
		u, err := url.Parse(a.Dependency)
		ok := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
		ps.Check(ok, "app.dependency", "set the URL /healthz checks, e.g. http://127.0.0.1:5432/",
			"%q is not an http URL", a.Dependency)
	}
}

// validateDriver: a counted fault needs something to count. Nothing in a
// drill sends traffic but the probes, and exec probes send no request.
func (s *Scenario) validateDriver(ps *Problems) {
	a := s.App
	if !Counted(a.Fault) || a.After == nil || *a.After == 0 || (a.AfterTime != nil && a.AfterTime.Duration > 0) {
		return
	}
	for _, np := range s.Pod.probes() {
		if requestSource(a.Fault, np.probe) {
			return
		}
	}
	ps.Add("app.fault", "add an httpGet probe (a readinessProbe will do) or set app.afterTime",
		"%s begins after %d requests, but no probe sends any", a.Fault, *a.After)
}

// validateHealthzProbe: the health anti-patterns live in GET /healthz only.
func (s *Scenario) validateHealthzProbe(ps *Problems) {
	if !HealthzOnly(s.App.Fault) {
		return
	}
	for _, np := range s.Pod.probes() {
		if np.probe.HTTPGet != nil && np.probe.HTTPGet.Path == HealthzPath {
			return
		}
	}
	ps.Add("pod", "point an httpGet probe at path /healthz",
		"fault %s lives in /healthz but no probe calls it", s.App.Fault)
}

func (s *Scenario) validateResources(ps *Problems) {
	r := s.App.Resources
	if s.App.Fault == FaultLeak {
		_, ok := r.Limits["memory"]
		ps.Check(ok, "app.resources.limits.memory", "set a limit, e.g. 64Mi",
			"leak without a memory limit grows until the node runs short of memory")
	}
	for _, name := range slices.Sorted(maps.Keys(r.Requests)) {
		req := r.Requests[name]
		if lim, ok := r.Limits[name]; ok && req.Cmp(lim) > 0 {
			ps.Add(fmt.Sprintf("app.resources.requests.%s", name), "lower the request or raise the limit",
				"%s is more than the limit %s", req.String(), lim.String())
		}
	}
}

// nonNegative records a problem for a negative duration.
func nonNegative(ps *Problems, field string, d *metav1.Duration) {
	if d != nil {
		ps.Check(d.Duration >= 0, field, "use 0 or more, e.g. 30s", "%s is negative", d.Duration)
	}
}
