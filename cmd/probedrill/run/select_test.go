package run

import (
	"slices"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/scenarios"
)

func names(sel selection) []string {
	var out []string
	for _, s := range sel.Scenarios {
		out = append(out, s.Name)
	}
	return out
}

func TestSelectByLabelLeavesNodeFailureOut(t *testing.T) {
	sel, err := selectScenarios(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Skipped) == 0 {
		t.Fatal("the whole catalog must skip the node-failure scenarios")
	}
	for _, s := range sel.Scenarios {
		if slices.Contains(s.Labels, scenarios.LabelNodeFailure) {
			t.Errorf("%s needs a stopped node and was selected", s.Name)
		}
	}
	for _, s := range sel.Skipped {
		if !strings.Contains(s.Why, "e2e") {
			t.Errorf("skipped %s without pointing at the e2e suite: %q", s.Name, s.Why)
		}
	}
	all, _ := scenarios.All()
	if len(sel.Scenarios)+len(sel.Skipped) != len(all) {
		t.Errorf("%d selected + %d skipped != %d in the catalog", len(sel.Scenarios), len(sel.Skipped), len(all))
	}
}

func TestSelectByLabelsNeedsEveryLabel(t *testing.T) {
	sel, err := selectScenarios(nil, []string{scenarios.LabelSeed, scenarios.LabelExec})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sel.Scenarios {
		if !slices.Contains(s.Labels, scenarios.LabelSeed) || !slices.Contains(s.Labels, scenarios.LabelExec) {
			t.Errorf("%s (labels %v) lacks seed or exec", s.Name, s.Labels)
		}
	}
	if len(sel.Scenarios) == 0 {
		t.Error("the catalog has seed exec scenarios")
	}
}

func TestSelectNamedKeepsOrderDropsRepeatsAndWarnsOfNodeFailure(t *testing.T) {
	sel, err := selectScenarios([]string{"seed-http-500", "classroom-fast", "seed-http-500", "seed-bare-pod-node-failure"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(sel), ","); got != "seed-http-500,classroom-fast,seed-bare-pod-node-failure" {
		t.Errorf("selected %s", got)
	}
	if len(sel.Warnings) != 1 || !strings.Contains(sel.Warnings[0], "seed-bare-pod-node-failure needs a node stopped") {
		t.Errorf("warnings %q", sel.Warnings)
	}
}

func TestSelectRejectsBadInputAsUsage(t *testing.T) {
	cases := []struct {
		names, labels []string
		want          string
	}{
		{[]string{"seed-http-50"}, nil, `no scenario "seed-http-50"; did you mean seed-http-500?`},
		{nil, []string{"sed"}, `--label "sed" is not a label; use one of seed,`},
		{nil, []string{scenarios.LabelNodeFailure}, "needs a node stopped under its pod"},
		{nil, []string{scenarios.LabelOOM, scenarios.LabelGRPC}, "no scenario has every label of oom, grpc"},
		{[]string{"classroom-fast"}, []string{"seed"}, "not both"},
	}
	for _, c := range cases {
		_, err := selectScenarios(c.names, c.labels)
		if err == nil || !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("names %v labels %v: err = %v, want a usage error with %q", c.names, c.labels, err, c.want)
		}
	}
}
