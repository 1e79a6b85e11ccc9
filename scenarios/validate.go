package scenarios

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// SlowAfter: scenarios whose expectations need longer than this carry the
// "slow" label, so a quick run can skip them.
const SlowAfter = 3 * time.Minute

// Validate reports every problem at once, each naming the file, the field
// and the fix. It is pure (no cluster) and expects SetDefaults to have run,
// as Parse does. The error is an *InvalidError. It checks:
//   - meta: name is a DNS label equal to the file name; one-line title;
//     teach.en set; seed is a heading of the seed chapter, and then teach.zh
//     is set too;
//   - labels: from Labels(), no duplicates; the labels that follow from the
//     content (seed, probe kinds, handlers, node-failure) present, and only
//     then; slow when an expectation needs more than SlowAfter;
//   - app: a known fault and SIGTERM mode; each fault flag only with the fault
//     that reads it, in range, not negative; what a fault needs (startup,
//     healthFile, dependency URL, a memory limit for leak); a counted fault
//     has a probe that sends requests (or afterTime); the /healthz faults
//     have a probe on /healthz;
//   - pod: kind, names, restart policy (Always for a Deployment), grace >= 0;
//   - each probe: exactly one handler; the API server's ranges and rules
//     (successThreshold 1 for liveness and startup, no grace period on
//     readiness); the port is app.port or "http"; no host; exec runs
//     `/faultyapp check -file <healthFile>` with fault exec-file; grpc needs
//     fault grpc;
//   - expect: at least one; restarts possible at all (timing.go), and not
//     sooner than min × the first possible restart; no calm that contradicts
//     restarts; back-off, termination, container IDs and previous logs need
//     restarts; lastTermination matches the fault and onSigterm (exit 143
//     Error, drain 0 Completed, ignore 137 Error, leak 137 OOMKilled, crash
//     its exit code); events use a known reason with its type, exactly one
//     message form, known placeholders, the kubelet's wording, and a probe
//     the pod has; notReadyWithin needs a readiness probe and a Service;
//     nodeFailure fits the kind.
func (s *Scenario) Validate() error {
	ps := NewProblems(s.source())
	s.validateMeta(ps)
	s.validateLabels(ps)
	s.validateApp(ps)
	s.validatePod(ps)
	for _, np := range s.Pod.probes() {
		s.validateProbe(ps, np)
	}
	s.validateExpect(ps)
	return ps.Err()
}

// source names the scenario in messages.
func (s *Scenario) source() string {
	if s.File != "" {
		return s.File
	}
	return fmt.Sprintf("scenario %q", s.Name)
}

func (s *Scenario) validateMeta(ps *Problems) {
	if errs := validation.IsDNS1123Label(s.Name); len(errs) > 0 {
		ps.Add("name", "use lower-case letters, digits and '-', e.g. seed-http-500",
			"%q is not a DNS label (%s)", s.Name, strings.Join(errs, "; "))
	}
	if stem := fileStem(s.File); stem != "" && stem != s.Name {
		ps.Add("name", fmt.Sprintf("set name: %s or rename the file to %s.yaml", stem, s.Name),
			"%q does not match the file name", s.Name)
	}
	ps.Check(strings.TrimSpace(s.Title) != "" && !strings.Contains(s.Title, "\n"), "title",
		"write one line for lists and headings", "empty or more than one line")
	ps.Check(strings.TrimSpace(s.Teach.EN) != "", "teach.en",
		"explain in one paragraph what happens and why", "empty")
	if s.Seed == "" {
		return
	}
	ps.Check(oneOf(s.Seed, SeedSections()), "seed", "use a heading of the seed chapter: "+list(SeedSections()),
		"%q is not a section of the seed", s.Seed)
	ps.Check(strings.TrimSpace(s.Teach.ZH) != "", "teach.zh",
		"the seed is in Chinese: explain it in Chinese too", "empty while seed is set")
}

// validateLabels checks the labels against the vocabulary and against what
// the scenario is, so that a label filter never misses or mislabels one.
func (s *Scenario) validateLabels(ps *Problems) {
	seen := map[string]bool{}
	for i, l := range s.Labels {
		f := fmt.Sprintf("labels[%d]", i)
		ps.Check(oneOf(l, Labels()), f, "use one of "+list(Labels()), "%q is not a known label", l)
		ps.Check(!seen[l], f, "remove the duplicate", "%q is listed twice", l)
		seen[l] = true
	}
	derived := s.derivedLabels()
	for _, label := range Labels() {
		want, derivable := derived[label]
		switch {
		case !derivable:
		case want && !seen[label]:
			ps.Add("labels", "add "+label, "%s is missing", label)
		case !want && seen[label]:
			ps.Add("labels", "remove "+label, "%s does not apply", label)
		}
	}
	if d := s.Expect.longest(); d > SlowAfter && !seen[LabelSlow] {
		ps.Add("labels", "add slow", "expectations need %s (more than %s)", d, SlowAfter)
	}
}

// derivedLabels are the labels that follow from the scenario's content.
func (s *Scenario) derivedLabels() map[string]bool {
	p := s.Pod
	d := map[string]bool{
		LabelSeed:        s.Seed != "",
		LabelLiveness:    p.LivenessProbe != nil,
		LabelReadiness:   p.ReadinessProbe != nil,
		LabelStartup:     p.StartupProbe != nil,
		LabelHTTP:        false,
		LabelTCP:         false,
		LabelExec:        false,
		LabelGRPC:        false,
		LabelNodeFailure: s.Expect.NodeFailure != "",
	}
	for _, np := range p.probes() {
		d[LabelHTTP] = d[LabelHTTP] || np.probe.HTTPGet != nil
		d[LabelTCP] = d[LabelTCP] || np.probe.TCPSocket != nil
		d[LabelExec] = d[LabelExec] || np.probe.Exec != nil
		d[LabelGRPC] = d[LabelGRPC] || np.probe.GRPC != nil
	}
	return d
}

func (s *Scenario) validatePod(ps *Problems) {
	p := s.Pod
	ps.Check(p.Kind == KindPod || p.Kind == KindDeployment, "pod.kind", "use Pod or Deployment",
		"%q is not a workload kind", p.Kind)
	if errs := validation.IsDNS1123Label(p.Name); len(errs) > 0 {
		ps.Add("pod.name", "use lower-case letters, digits and '-'", "%q is not a DNS label", p.Name)
	}
	if errs := validation.IsDNS1123Label(p.ContainerName); len(errs) > 0 {
		ps.Add("pod.containerName", "use lower-case letters, digits and '-', e.g. test2", "%q is not a DNS label", p.ContainerName)
	}
	switch p.RestartPolicy {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		ps.Add("pod.restartPolicy", "use Always, OnFailure or Never", "%q is not a restart policy", p.RestartPolicy)
	}
	ps.Check(p.Kind != KindDeployment || p.RestartPolicy == corev1.RestartPolicyAlways, "pod.restartPolicy",
		"leave it out: a Deployment only allows Always", "%s with kind Deployment", p.RestartPolicy)
	if g := p.TerminationGracePeriodSeconds; g != nil {
		ps.Check(*g >= 0, "pod.terminationGracePeriodSeconds", "use 0 or more seconds", "%d is negative", *g)
	}
	if u := p.UnreachableTolerationSeconds; u != nil {
		ps.Check(*u >= 0, "pod.unreachableTolerationSeconds", "use 0 or more seconds", "%d is negative", *u)
		ps.Check(s.Expect.NodeFailure != "", "pod.unreachableTolerationSeconds", "remove it, or expect a nodeFailure",
			"only matters when the node fails")
	}
}
