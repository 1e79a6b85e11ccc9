//go:build e2e

package e2e_test

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/verdict"
)

// BeSettled succeeds once no finding is pending (each has passed or failed).
func BeSettled() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(fs []verdict.Finding) (bool, error) {
		return drill.Settled(fs), nil
	}).WithTemplate("Expected every expectation to be decided by now; still waiting:\n{{.Data}}", func(fs []verdict.Finding) string {
		return findings(fs, verdict.Pending)
	})
}

// AllPass succeeds when every finding passed, and lists the ones that did not.
func AllPass() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(fs []verdict.Finding) (bool, error) {
		return len(fs) > 0 && verdict.AllPassed(fs), nil
	}).WithTemplate("Expected every expectation to pass:\n{{.Data}}", func(fs []verdict.Finding) string {
		return findings(fs, "")
	})
}

// MatchPrediction succeeds when everything due was observed inside its
// predicted window, and shows the whole predicted vs observed table if not.
func MatchPrediction() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r verdict.Result) (bool, error) {
		return r.OK(), nil
	}).WithTemplate("Expected the observed timeline to match the prediction:\n{{.Data}}", func(r verdict.Result) string {
		return r.String()
	})
}

// findings renders the findings with the given outcome ("" for all), one per line.
func findings(fs []verdict.Finding, only verdict.Outcome) string {
	var b strings.Builder
	for _, f := range fs {
		if only == "" || f.Outcome == only {
			fmt.Fprintf(&b, "  %s\n", f)
		}
	}
	return b.String()
}
