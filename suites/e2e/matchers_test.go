//go:build e2e

package e2e_test

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
)

// matcher is a Gomega matcher from a test and a message, both on a typed value.
type matcher[T any] struct {
	ok  func(T) bool
	msg func(T) string
}

func (m matcher[T]) Match(actual any) (bool, error) {
	v, isT := actual.(T)
	if !isT {
		return false, fmt.Errorf("expected a %T, got %T", *new(T), actual)
	}
	return m.ok(v), nil
}

func (m matcher[T]) FailureMessage(actual any) string { return m.msg(actual.(T)) }

func (m matcher[T]) NegatedFailureMessage(actual any) string {
	return "Expected the opposite of:\n" + m.msg(actual.(T))
}

// BeOver succeeds once the drill has seen enough: every expectation
// decided and every predicted entry seen or past its window, or the
// deadline passed.
func BeOver() types.GomegaMatcher {
	return matcher[drill.Progress]{ok: func(p drill.Progress) bool { return p.Over }, msg: func(p drill.Progress) string {
		var undecided strings.Builder
		for _, m := range p.Comparison.Lines {
			if !m.Decided() {
				fmt.Fprintf(&undecided, "  %s\n", m.Text)
			}
		}
		return fmt.Sprintf("Expected the drill to be over by %s; still waiting:\n%s%s",
			timeline.Offset(p.Elapsed), findings(p.Findings, verdict.Pending), undecided.String())
	}}
}

// AllPass succeeds when every finding passed, and lists them all if not.
func AllPass() types.GomegaMatcher {
	return matcher[[]verdict.Finding]{
		ok: func(fs []verdict.Finding) bool { return len(fs) > 0 && verdict.AllPassed(fs) },
		msg: func(fs []verdict.Finding) string {
			return "Expected every expectation to pass:\n" + findings(fs, "")
		},
	}
}

// MatchPrediction succeeds when everything due was observed inside its
// predicted window, and shows the whole predicted vs observed table if not;
// which says which prediction it was.
func MatchPrediction(which string) types.GomegaMatcher {
	return matcher[verdict.Result]{ok: verdict.Result.OK, msg: func(r verdict.Result) string {
		return "Expected the observed timeline to match " + which + ":\n" + r.String()
	}}
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
