package verdict

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// combinedPrefix is how the kubelet's recorder words the 11th and later
// events that share source, object, type and reason but differ in message
// within 10 minutes (client-go tools/record/events_cache.go
// EventAggregatorByReasonMessageFunc, defaultAggregateMaxEvents).
const combinedPrefix = "(combined from similar events): "

// event: an event with the type, reason and message was recorded. Each
// event is matched with the placeholders filled from its own involved
// object, so a Deployment's replacement pod matches too.
func (c checker) event(want scenarios.EventExpect) Finding {
	f := expecting(say("%s %s %q", "%s %s %q", want.Type, want.Reason, orRegexp(want)))
	var near []string
	for i := range c.obs.Events {
		ev := &c.obs.Events[i]
		if ev.Reason != want.Reason || (want.Type != "" && ev.Type != want.Type) {
			continue
		}
		ok, err := c.messageMatches(want, ev)
		if err != nil {
			f.judge(Fail, say("%v", "%v", err))
			return f
		}
		if ok {
			f.judge(Pass, c.seenWords(ev))
			return f
		}
		if q := fmt.Sprintf("%q", ev.Message); !slices.Contains(near, q) && len(near) < 3 {
			near = append(near, q)
		}
	}
	why := say("not recorded", "没有记录")
	if len(near) > 0 {
		why = say("not recorded; %s events say: %s", "没有记录；%s 事件的内容是：%s", want.Reason, strings.Join(near, ", "))
	}
	f.judge(c.undecided(), why)
	return f
}

func orRegexp(e scenarios.EventExpect) string {
	if e.Message != "" {
		return e.Message
	}
	return "~" + e.MessageRegexp
}

// messageMatches compares after filling {container}, {pod}, {namespace} and
// {uid} from the event's involved object.
func (c checker) messageMatches(want scenarios.EventExpect, ev *corev1.Event) (bool, error) {
	got := strings.TrimPrefix(ev.Message, combinedPrefix)
	vals := map[string]string{
		"container": c.container,
		"pod":       ev.InvolvedObject.Name,
		"namespace": ev.InvolvedObject.Namespace,
		"uid":       string(ev.InvolvedObject.UID),
	}
	if want.Message != "" {
		return got == scenarios.SubstitutePlaceholders(want.Message, vals, false), nil
	}
	re, err := regexp.Compile(scenarios.SubstitutePlaceholders(want.MessageRegexp, vals, true))
	if err != nil {
		return false, fmt.Errorf("messageRegexp %q: %w", want.MessageRegexp, err)
	}
	return re.MatchString(got), nil
}

// seenWords says how often and since when an event was seen.
func (c checker) seenWords(ev *corev1.Event) phrase {
	n := ev.Count
	if ev.Series != nil {
		n = ev.Series.Count
	}
	first := ev.FirstTimestamp.Time
	if !ev.EventTime.IsZero() {
		first = ev.EventTime.Time
	}
	seen := say("seen %s", "出现了 %s", times(max(n, 1)))
	if !c.obs.Timeline.Start.IsZero() && !first.IsZero() {
		seen = seen.Plus(say(", first at %s", "，第一次在 %s", timeline.Offset(c.obs.Timeline.OffsetOf(first))))
	}
	return seen
}

func times(n int32) phrase {
	if n == 1 {
		return say("once", "1 次")
	}
	return say("%d times", "%d 次", n)
}
