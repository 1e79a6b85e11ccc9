package screen

import (
	"fmt"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// label names an entry as the kubelet and the predictor do: the event reason
// (or status kind) and the container instance, e.g. "Killing #0". Reasons
// stay in English in both languages: they are what `kubectl describe` shows.
func label(e timeline.Entry) string {
	switch e.Kind {
	case timeline.PodDeleted:
		return string(e.Kind)
	}
	return fmt.Sprintf("%s #%d", e.Kind, e.Instance)
}

// what says what an observed entry is: the event's message exactly as the
// kubelet wrote it, or the status change in words.
func what(e timeline.Entry, w words) string {
	switch e.Kind {
	case timeline.Started:
		if e.Instance == 0 {
			return w.started
		}
		return fmt.Sprintf(w.restart, e.Instance)
	case timeline.Terminated:
		return fmt.Sprintf(w.exit, exitCode(e), e.Reason)
	case timeline.Ready:
		return w.ready
	case timeline.NotReady:
		return w.notReady
	case timeline.PodDeleted:
		return w.deleted
	case timeline.BackOff:
		if e.Type == "" { // the waiting state, not an event
			return "CrashLoopBackOff: " + waitingMessage(e.Message)
		}
	}
	return e.Message
}

// waitingMessage shortens the kubelet's CrashLoopBackOff waiting message,
// "back-off 20s restarting failed container=app pod=name_ns(uid)", to its
// teaching part: the pod's identity is on screen already.
func waitingMessage(msg string) string {
	if i := strings.Index(msg, " pod="); i > 0 {
		return msg[:i]
	}
	return msg
}

func exitCode(e timeline.Entry) string {
	if e.ExitCode == nil {
		return "?"
	}
	return fmt.Sprint(*e.ExitCode)
}

// key identifies an observed entry across snapshots. The observer rebuilds
// its timeline on every call and may renumber an event's container instance
// once the status it belongs to arrives, so events are keyed by what never
// changes: the event's text and occurrence count.
func key(e timeline.Entry) string {
	k := fmt.Sprintf("%s|%s|%s|%s|%s|%d|%s", e.Kind, e.Pod, e.Container, e.Type, e.Message, e.Count, e.ContainerID)
	if e.Type == "" && e.ContainerID == "" {
		k += "|" + e.At.String()
	}
	return k
}

// aroundNominal renders a predicted entry as a teacher says it aloud: the
// model's nominal time and how far its window reaches either side, "+18s ±
// 2s", "+17s −1s/+5s", or "+16s" alone for a window within its second.
// Whole seconds, as the API's timestamps are.
func aroundNominal(e timeline.Entry) string {
	at := e.At.Round(time.Second)
	lo, hi := min(earliest(e).Round(time.Second), at), max(latest(e).Round(time.Second), at)
	minus, plus := at-lo, hi-at
	switch {
	case minus == 0 && plus == 0:
		return timeline.Offset(at)
	case minus == plus:
		return fmt.Sprintf("%s ± %v", timeline.Offset(at), minus)
	default:
		return fmt.Sprintf("%s −%v/+%v", timeline.Offset(at), minus, plus)
	}
}

// window renders a predicted entry's window: "+16s…+19s", or one offset.
func window(e timeline.Entry) string {
	lo, hi := earliest(e), latest(e)
	if timeline.Offset(lo) == timeline.Offset(hi) {
		return timeline.Offset(lo)
	}
	return timeline.Offset(lo) + "…" + timeline.Offset(hi)
}
