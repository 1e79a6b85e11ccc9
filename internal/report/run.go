package report

import (
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// SchemaVersion is the version of the run.json schema this package writes
// and reads (see the package documentation).
const SchemaVersion = 1

// Run is the record of one `probedrill run`.
type Run struct {
	Version  int           `json:"version"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Cluster  Cluster       `json:"cluster"`
	// Scenarios are in the order they were selected (the catalog's, by name).
	Scenarios []ScenarioResult `json:"scenarios"`
	Skipped   []Skipped        `json:"skipped,omitempty"`
}

// Cluster is what the predictions were made for: the kubelet settings that
// change a timeline, and what a reader needs to recognise the cluster.
type Cluster struct {
	// Name is the kube context or API server the run used.
	Name              string `json:"name"`
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	Profile           string `json:"profile,omitempty"`
	Nodes             int    `json:"nodes,omitempty"`
	// MaxContainerRestartPeriod is the kubelet's crash-loop back-off cap.
	MaxContainerRestartPeriod time.Duration `json:"maxContainerRestartPeriod"`
	// Note is a caveat about the predictions ("" on probedrill's cluster).
	Note string `json:"note,omitempty"`
	// Calibration says where the predictions' latencies came from.
	Calibration string `json:"calibration,omitempty"`
}

// ScenarioResult is one drill: what was predicted, what was seen, and the verdict.
type ScenarioResult struct {
	Name      string   `json:"name"`
	Title     string   `json:"title"`
	Labels    []string `json:"labels,omitempty"`
	Namespace string   `json:"namespace,omitempty"`
	// Predicted is the prediction cut at the drill's deadline: what the
	// comparison judged against.
	Predicted  timeline.Timeline `json:"predicted"`
	Observed   timeline.Timeline `json:"observed"`
	Findings   []verdict.Finding `json:"findings"`
	Comparison verdict.Result    `json:"comparison"`
	// Watched is how long after pod creation the drill was observed: the
	// horizon of the comparison.
	Watched time.Duration `json:"watched"`
	// Duration is the drill's wall-clock time, setup and cleanup included.
	Duration time.Duration `json:"duration"`
	Passed   bool          `json:"passed"`
	// Error says why the drill did not run to its end, if it did not.
	Error string `json:"error,omitempty"`
}

// Skipped is a scenario that was selected but left out, with the reason.
type Skipped struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Why   string `json:"why"`
}

// Judge sets Passed: every expectation met, the timeline as predicted, and
// the drill ran to its end.
func (s *ScenarioResult) Judge() {
	s.Passed = s.Error == "" && verdict.AllPassed(s.Findings) && s.Comparison.OK()
}

// Failed returns the findings that did not pass.
func (s ScenarioResult) Failed() []verdict.Finding { return verdict.Unsettled(s.Findings) }

// PassedFindings counts the expectations that were met.
func (s ScenarioResult) PassedFindings() int { return len(s.Findings) - len(s.Failed()) }

// Totals counts the scenarios that passed and failed.
func (r Run) Totals() (passed, failed int) {
	for _, s := range r.Scenarios {
		if s.Passed {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}

// Passed reports whether every scenario that ran passed.
func (r Run) Passed() bool {
	_, failed := r.Totals()
	return failed == 0
}

// TimelineCounts splits the comparison's lines: those seen as predicted, those
// that were due (the rest of them went wrong), and those not yet due when
// the drill ended, which verdict counts as matched but nobody saw.
func (s ScenarioResult) TimelineCounts() (asPredicted, due, later int) {
	for _, m := range s.Comparison.Lines {
		switch m.Status {
		case verdict.NotYetDue:
			later++
		case verdict.Matched, verdict.Skipped:
			asPredicted++
			due++
		default:
			due++
		}
	}
	return asPredicted, due, later
}
