//go:build e2e

package e2e_test

import (
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/probedrill/probedrill/scenarios"
)

// A concern groups the scenarios one suite section is about. Each scenario
// belongs to exactly one concern — the first whose labels it carries — so the
// full run drills each scenario once.
type concern struct {
	name   string   // the Describe text
	label  string   // the Ginkgo label that focuses the whole concern
	labels []string // scenario labels that put a scenario here
}

var concerns = []concern{
	{"node failure", "node-failure", []string{scenarios.LabelNodeFailure}},
	{"anti-patterns", "anti-patterns", []string{scenarios.LabelAntiPattern}},
	{"startup and readiness", "startup-readiness", []string{scenarios.LabelStartup, scenarios.LabelReadiness, scenarios.LabelHealthy}},
	{"probe types", "probe-types", []string{scenarios.LabelExec, scenarios.LabelTCP, scenarios.LabelGRPC}},
	{"back-off", "back-off", []string{scenarios.LabelBackoff}},
	{"events", "event-messages", []string{scenarios.LabelTimeout}},
	{"exit codes and reasons", "exit-codes", []string{scenarios.LabelExitCodes, scenarios.LabelOOM, scenarios.LabelGrace}},
	{"liveness and the seed", "liveness-basics", nil}, // everything else
}

// catalog is loaded while the spec tree is built (package initialisation),
// as Ginkgo requires for specs generated from data.
var catalog = mustLoadCatalog()

func mustLoadCatalog() []*scenarios.Scenario {
	all, err := scenarios.All()
	if err != nil {
		panic(fmt.Sprintf("loading the scenario catalog: %v", err))
	}
	return all
}

// concernOf is the first concern whose labels the scenario carries.
func concernOf(s *scenarios.Scenario) string {
	for _, c := range concerns {
		if c.labels == nil || slices.ContainsFunc(c.labels, func(l string) bool { return slices.Contains(s.Labels, l) }) {
			return c.name
		}
	}
	return concerns[len(concerns)-1].name
}

// entries returns one table entry per scenario of the concern, labelled with
// the scenario's own labels for --label-filter.
func entries(c concern) []TableEntry {
	var out []TableEntry
	for _, s := range catalog {
		if concernOf(s) == c.name {
			t := specTimeout(s)
			out = append(out, Entry(s.Name+": "+s.Title, Label(s.Labels...), SpecTimeout(t), SpecPriority(priority(t)), s))
		}
	}
	return out
}

// Every concern but node failure is the same table: drill the scenario and
// assert its expectations and the predicted timeline. Node failure needs a
// node stopped under the pod: nodefailure_test.go.
var _ = Describe("scenarios", func() {
	for _, c := range concerns {
		if c.name == "node failure" {
			continue
		}
		Describe(c.name, Label(c.label), func() {
			DescribeTable("drill", runScenario, entries(c))
		})
	}
})

// priority starts the longest drills first (make e2e runs with
// --randomize-all, so Ginkgo schedules each spec by its priority): the run
// ends when its longest spec does, so that one must not start last. Buckets
// of a minute keep the order within a bucket random.
func priority(timeout time.Duration) int { return int(timeout / time.Minute) }
