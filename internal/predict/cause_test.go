package predict

import (
	"slices"
	"testing"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// causeCodes are the codes each entry kind may carry (docs/predict.md).
var causeCodes = map[timeline.Kind][]string{
	timeline.Started: {timeline.CauseFirstStart, timeline.CauseStartNoExited, timeline.CauseStartRemoved,
		timeline.CauseStartDeleted, timeline.CauseStartNoBackOff, timeline.CauseStartExpired,
		timeline.CauseStartLongAgo, timeline.CauseStartAfterBackOff},
	timeline.ProbeFailed: {timeline.CauseProbeFailed},
	timeline.Killing:     {timeline.CauseFailureThreshold},
	timeline.Terminated: {timeline.CauseExitAtSIGTERM, timeline.CauseDrained, timeline.CauseSIGKILLAfterGrace,
		timeline.CauseDrainStuck, timeline.CauseOOMKilled, timeline.CauseAppExit},
	timeline.BackOff:  {timeline.CauseCrashLoopBackOff},
	timeline.Ready:    {timeline.CauseReadinessPassed},
	timeline.NotReady: {timeline.CauseReadinessFailed, timeline.CauseNotRunning},
}

// Every predicted entry of the catalog says why for machines, with a code
// its kind allows and the facts its Why sentence states.
func TestEveryEntryHasACause(t *testing.T) {
	all, err := scenarios.All()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range all {
		p, err := Predict(s, Kubelet{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Timeline.Entries {
			c := e.Cause
			if c == nil || !slices.Contains(causeCodes[e.Kind], c.Code) {
				t.Errorf("%s: %s has cause %+v, want one of %v", s.Name, e, c, causeCodes[e.Kind])
				continue
			}
			seen[c.Code] = true
			checkCauseFacts(t, s.Name, e)
		}
	}
	// The catalog's up-front predictions reach these codes; the rarer start
	// causes (a removed container, an expired back-off) need longer runs or
	// an observed timeline to condition on.
	for _, code := range []string{timeline.CauseFirstStart, timeline.CauseStartNoExited, timeline.CauseStartAfterBackOff,
		timeline.CauseProbeFailed, timeline.CauseFailureThreshold, timeline.CauseExitAtSIGTERM, timeline.CauseSIGKILLAfterGrace,
		timeline.CauseAppExit, timeline.CauseCrashLoopBackOff, timeline.CauseReadinessPassed, timeline.CauseReadinessFailed} {
		if !seen[code] {
			t.Errorf("no catalog entry has cause %s", code)
		}
	}
}

func checkCauseFacts(t *testing.T, name string, e timeline.Entry) {
	t.Helper()
	c := e.Cause
	switch e.Kind {
	case timeline.ProbeFailed:
		if c.Probe == "" || c.Failure < 1 || c.Threshold < 1 || c.Detail == "" {
			t.Errorf("%s: %s: probe failure cause %+v lacks probe, failure, threshold or detail", name, e, c)
		}
		if (c.Detail == timeline.ProbeDetailHTTPStatus) != (c.HTTPStatus != 0) {
			t.Errorf("%s: %s: detail %s with HTTP status %d", name, e, c.Detail, c.HTTPStatus)
		}
	case timeline.Killing:
		if c.Probe == "" || c.Threshold < 1 || c.Grace < minGrace {
			t.Errorf("%s: %s: kill cause %+v lacks probe, threshold or grace", name, e, c)
		}
	case timeline.Terminated:
		if c.ExitCode == nil || e.ExitCode == nil || *c.ExitCode != *e.ExitCode {
			t.Errorf("%s: %s: exit cause %+v does not carry the exit code", name, e, c)
		}
	case timeline.BackOff:
		if c.BackOff <= 0 {
			t.Errorf("%s: %s: back-off cause without the back-off", name, e)
		}
	case timeline.Started:
		if c.Restart != e.Instance {
			t.Errorf("%s: %s: start cause says restart %d", name, e, c.Restart)
		}
	}
}
