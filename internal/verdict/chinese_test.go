package verdict_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
	"github.com/probedrill/probedrill/scenarios"
)

// Every finding the catalog's expectations give says the same in Chinese
// (for demo --lang zh): the same numbers and offsets, each argument in its
// place (a wrong %[n] index shows as "%!"), and Chinese words — not the
// English left as it was. Observations come from each scenario's own
// prediction, cut early, late and shifted, so passing, pending and failing
// sentences all show up.
func TestFindingsSayTheSameInChinese(t *testing.T) {
	all, err := scenarios.All()
	if err != nil {
		t.Fatal(err)
	}
	sentences := 0
	for _, s := range all {
		pred, err := predict.Timeline(s, predict.DefaultKubelet())
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		for _, obs := range observations(s, pred) {
			for _, f := range verdict.Check(s, obs) {
				sentences++
				zh := f.Chinese()
				en := f.Expect + ": " + f.Why
				cn := zh.Expect + "：" + zh.Why
				switch {
				case strings.Contains(en, "%!") || strings.Contains(cn, "%!"):
					t.Errorf("%s: a format verb went wrong:\n  %s\n  %s", s.Name, en, cn)
				case !slices.Equal(numbers(strings.ReplaceAll(en, "once", "1 time")), numbers(cn)):
					t.Errorf("%s: not the same numbers:\n  %s\n  %s", s.Name, en, cn)
				case !strings.ContainsFunc(zh.Why, isHan):
					t.Errorf("%s: Why left in English: %s", s.Name, zh.Why)
				}
			}
		}
	}
	if sentences < 100 {
		t.Fatalf("only %d findings checked", sentences)
	}
}

// observations are what a drill of pred may show: nothing, the first half,
// all of it, and all of it 30 s late; the last two with the expected events
// (seen three times) or other messages of the same reasons.
func observations(s *scenarios.Scenario, pred timeline.Timeline) []verdict.Observation {
	end := pred.Entries[len(pred.Entries)-1].At
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	cut := func(until, shift time.Duration, final bool) verdict.Observation {
		obs := timeline.Timeline{Start: start}
		for _, e := range pred.Entries {
			if e.At <= until {
				e.At += shift
				e.Earliest, e.Latest = 0, 0
				e.ContainerID = "c" + string(rune('0'+e.Instance))
				obs.Add(e)
			}
		}
		return verdict.Observation{Timeline: obs, Predicted: pred, Elapsed: until + shift, Final: final, PreviousLogs: "GET / 500\n"}
	}
	all, late := cut(end, 0, true), cut(end, 30*time.Second, true)
	for _, want := range s.Expect.Events {
		msg := "something else"
		if want.Message != "" {
			msg = scenarios.SubstitutePlaceholders(want.Message, map[string]string{"container": s.Pod.ContainerName}, false)
		}
		ev := corev1.Event{Type: want.Type, Reason: want.Reason, Message: msg, Count: 3,
			FirstTimestamp: metav1.NewTime(start.Add(10 * time.Second))}
		all.Events = append(all.Events, ev)
		ev.Message = "something else"
		late.Events = append(late.Events, ev)
	}
	return []verdict.Observation{cut(0, 0, true), cut(end/2, 0, false), all, late}
}

var number = regexp.MustCompile(`\d+`)

// numbers lists the digit runs of s, sorted: the facts a sentence states.
func numbers(s string) []string {
	out := number.FindAllString(s, -1)
	slices.Sort(out)
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
