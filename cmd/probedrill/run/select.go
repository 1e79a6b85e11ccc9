package run

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/scenarios"
)

// nodeFailureWhy is why run leaves node-failure scenarios out: their story
// needs a node stopped under the pod, which run does not do (it would
// disturb every other drill on the cluster). The e2e suite does it, serially.
const nodeFailureWhy = "needs a node stopped under its pod, which run does not do; " +
	"the e2e suite covers it (make e2e E2E_LABELS=node-failure), or name it and stop the node yourself"

// selection is what a run drills, and what it leaves out.
type selection struct {
	Scenarios []*scenarios.Scenario
	Skipped   []report.Skipped
	// Warnings are one line each, for named node-failure scenarios.
	Warnings []string
}

// selectScenarios picks the scenarios to drill: the named ones in the given
// order, or every scenario of the catalog carrying all the labels. It reads
// only the catalog, so bad input is reported before anything is created.
func selectScenarios(names, labels []string) (selection, error) {
	if len(names) > 0 && len(labels) > 0 {
		return selection{}, cli.Usage(errors.New("give scenario names or --label, not both"))
	}
	if len(names) > 0 {
		return named(names)
	}
	if err := checkLabels(labels); err != nil {
		return selection{}, err
	}
	all, err := scenarios.All()
	if err != nil {
		return selection{}, err
	}
	return labelled(all, labels)
}

// named loads each named scenario once; a node-failure scenario is run, with
// a warning, since naming it is how a teacher asks for it.
func named(names []string) (selection, error) {
	var sel selection
	for _, name := range names {
		if slices.ContainsFunc(sel.Scenarios, func(s *scenarios.Scenario) bool { return s.Name == name }) {
			continue
		}
		s, err := scenarios.Get(name)
		if err != nil {
			return selection{}, cli.Usage(fmt.Errorf("%w (`probedrill list` shows them all)", err))
		}
		if slices.Contains(s.Labels, scenarios.LabelNodeFailure) {
			sel.Warnings = append(sel.Warnings, fmt.Sprintf("%s needs a node stopped under its pod: run does not stop one, "+
				"so stop it yourself while the drill runs (docker stop <node>, then docker start <node>)", s.Name))
		}
		sel.Scenarios = append(sel.Scenarios, s)
	}
	return sel, nil
}

// labelled keeps the scenarios with every label, minus the node-failure ones.
func labelled(all []*scenarios.Scenario, labels []string) (selection, error) {
	var sel selection
	for _, s := range all {
		if slices.ContainsFunc(labels, func(l string) bool { return !slices.Contains(s.Labels, l) }) {
			continue
		}
		if slices.Contains(s.Labels, scenarios.LabelNodeFailure) {
			sel.Skipped = append(sel.Skipped, report.Skipped{Name: s.Name, Title: s.Title, Why: nodeFailureWhy})
			continue
		}
		sel.Scenarios = append(sel.Scenarios, s)
	}
	if len(sel.Scenarios) > 0 {
		return sel, nil
	}
	if len(sel.Skipped) > 0 {
		return selection{}, cli.Usage(fmt.Errorf("every scenario with label %s needs a node stopped under its pod, "+
			"which run does not do; name one to run it anyway, or use make e2e E2E_LABELS=node-failure", strings.Join(labels, ", ")))
	}
	return selection{}, cli.Usage(fmt.Errorf("no scenario has every label of %s; `probedrill list --label L` shows which have one", strings.Join(labels, ", ")))
}

// checkLabels refuses a label outside the vocabulary, naming the vocabulary.
func checkLabels(labels []string) error {
	for _, l := range labels {
		if !slices.Contains(scenarios.Labels(), l) {
			return cli.Usage(fmt.Errorf("--label %q is not a label; use one of %s", l, strings.Join(scenarios.Labels(), ", ")))
		}
	}
	return nil
}
