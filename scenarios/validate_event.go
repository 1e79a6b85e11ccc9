package scenarios

import (
	"regexp"
	"strings"
)

// The kubelet's formats for the events a scenario may pin
// exactly, with placeholders left in: prober.go ("%s probe failed: %s",
// "%s probe errored and resulted in %s state: %s"), kuberuntime_manager.go
// ("Container %s failed liveness probe" + ", will be restarted",
// "Back-off restarting failed container %s in pod %s"), v1.37.2. A typo in
// an exact message would make a suite wait for an event that never comes.
var (
	unhealthyShape = regexp.MustCompile(`^(Liveness|Readiness|Startup) probe (failed: |errored and resulted in )`)
	killingShape   = regexp.MustCompile(`^(Container \{container\} failed (liveness|startup) probe(, will be restarted)?|Stopping container \{container\})$`)
	backOffShape   = regexp.MustCompile(`^Back-off restarting failed container \{container\} in pod \{pod\}_\{namespace\}\(\{uid\}\)$`)
)

// messageShape returns the shape of an event reason's message, or nil.
func messageShape(reason string) *regexp.Regexp {
	switch reason {
	case "Unhealthy":
		return unhealthyShape
	case "Killing":
		return killingShape
	case "BackOff":
		return backOffShape
	}
	return nil
}

// placeholderRE finds {word} tokens; regexp quantifiers like {2,3} have no letters.
var placeholderRE = regexp.MustCompile(`\{[A-Za-z_]+\}`)

func (s *Scenario) validateEvent(ps *Problems, f string, ev EventExpect) {
	want, known := eventType(ev.Reason)
	ps.Check(known, f+".reason", "use one of "+list(eventReasons()), "%q is not a kubelet event reason probedrill knows", ev.Reason)
	if known {
		ps.Check(ev.Type == want, f+".type", "set type: "+want, "%s events are %s, not %q", ev.Reason, want, ev.Type)
	}
	text, tf := ev.Message, f+".message"
	switch {
	case (ev.Message == "") == (ev.MessageRegexp == ""):
		ps.Add(f, "set exactly one of message and messageRegexp", "needs one message")
		return
	case ev.MessageRegexp != "":
		text, tf = ev.MessageRegexp, f+".messageRegexp"
		if _, err := regexp.Compile(SubstitutePlaceholders(text, samplePlaceholders(), true)); err != nil {
			ps.Add(tf, "fix the regular expression (Go RE2 syntax)", "%v", err)
		}
	default:
		if re := messageShape(ev.Reason); re != nil {
			ps.Check(re.MatchString(text), tf, "copy the kubelet's text from docs/kubelet-facts.md, with {container} for the name",
				"%q is not how the kubelet words a %s event", text, ev.Reason)
		}
	}
	for _, ph := range placeholderRE.FindAllString(text, -1) {
		ps.Check(oneOf(ph, Placeholders()), tf, "use "+list(Placeholders()), "unknown placeholder %s", ph)
	}
	s.validateEventProbe(ps, tf, text)
}

// validateEventProbe: an event about a probe needs that probe, and the
// Killing wording depends on the restart policy.
func (s *Scenario) validateEventProbe(ps *Problems, f, text string) {
	for _, np := range []namedProbe{
		{"livenessProbe", "Liveness", s.Pod.LivenessProbe},
		{"readinessProbe", "Readiness", s.Pod.ReadinessProbe},
		{"startupProbe", "Startup", s.Pod.StartupProbe},
	} {
		mentions := strings.Contains(text, np.kind+" probe") || strings.Contains(text, "failed "+strings.ToLower(np.kind)+" probe")
		ps.Check(!mentions || np.probe != nil, f, "add pod."+np.field+" or drop this event",
			"expects a %s probe event but the pod has no %s", strings.ToLower(np.kind), np.field)
	}
	if strings.Contains(text, "will be restarted") {
		ps.Check(s.killingWillRestart(), f, `drop ", will be restarted": with restartPolicy Never the kubelet leaves it out`,
			"restartPolicy is Never")
	}
}

// SubstitutePlaceholders replaces {container}, {pod}, {namespace} and {uid}
// in an expected event message with values; quote regexp-quotes them, for
// MessageRegexp. The observer and Validate share it.
func SubstitutePlaceholders(msg string, values map[string]string, quote bool) string {
	pairs := make([]string, 0, 2*len(values))
	for k, v := range values {
		if quote {
			v = regexp.QuoteMeta(v)
		}
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

func samplePlaceholders() map[string]string {
	return map[string]string{"container": "faultyapp", "pod": "p", "namespace": "ns", "uid": "0000-1111"}
}
