//go:build e2e

package e2e_test

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/probedrill/probedrill/internal/drill"
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

// BeSettled succeeds once no finding is pending (each has passed or failed).
func BeSettled() types.GomegaMatcher {
	return matcher[[]verdict.Finding]{ok: drill.Settled, msg: func(fs []verdict.Finding) string {
		return "Expected every expectation to be decided by now; still waiting:\n" + findings(fs, verdict.Pending)
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
// predicted window, and shows the whole predicted vs observed table if not.
func MatchPrediction() types.GomegaMatcher {
	return matcher[verdict.Result]{ok: verdict.Result.OK, msg: func(r verdict.Result) string {
		return "Expected the observed timeline to match the prediction:\n" + r.String()
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
