package verdict

import (
	"fmt"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// label names an entry the way a teacher says it: "restart 3", "Killing #2",
// "Liveness probe failure 4". nth is the entry's position among its peers
// (used for probe failures, which are matched by order).
func label(e timeline.Entry, nth int) string {
	switch e.Kind {
	case timeline.Started:
		if e.Instance == 0 {
			return "container start"
		}
		return fmt.Sprintf("restart %d", e.Instance)
	case timeline.ProbeFailed:
		if p := probeType(e.Message); p != "" {
			return fmt.Sprintf("%s probe failure %d", p, nth)
		}
		return fmt.Sprintf("probe failure %d", nth)
	case timeline.Terminated:
		return fmt.Sprintf("exit of instance #%d", e.Instance)
	case timeline.BackOff:
		return fmt.Sprintf("CrashLoopBackOff #%d", e.Instance)
	case timeline.PodDeleted:
		return "pod deletion"
	}
	return fmt.Sprintf("%s #%d", e.Kind, e.Instance)
}

// probeType is "Liveness", "Readiness" or "Startup" when the message is a
// kubelet probe message ("%s probe failed: %s", pkg/kubelet/prober/prober.go).
func probeType(msg string) string {
	for _, p := range []string{"Liveness", "Readiness", "Startup"} {
		if strings.HasPrefix(msg, p+" probe") {
			return p
		}
	}
	return ""
}

// window renders a predicted time: "+1m20s" or "+1m18s…+1m22s".
func window(e timeline.Entry) string {
	lo, hi := bounds(e)
	if lo == hi {
		return timeline.Offset(lo)
	}
	return timeline.Offset(lo) + "…" + timeline.Offset(hi)
}

// why explains an early or late entry in the model's terms.
func why(e timeline.Entry, late bool) string {
	type pair struct{ late, early string }
	p := map[timeline.Kind]pair{
		timeline.ProbeFailed: {"the fault or the probe came later than the model", "the app failed sooner than the model"},
		timeline.Killing:     {"the probe took longer to reach failureThreshold than the model", "the probe reached failureThreshold sooner than the model"},
		timeline.Terminated:  {"the container took longer to stop than the model's grace period", "the container stopped sooner than the model's grace period"},
		timeline.BackOff:     {"CrashLoopBackOff set in later than the model", "CrashLoopBackOff set in sooner than the model"},
		timeline.Ready:       {"readiness came later than the model", "readiness came sooner than the model"},
		timeline.NotReady:    {"readiness failed later than the model", "readiness failed sooner than the model"},
		timeline.PodDeleted:  {"the pod was deleted later than the model", "the pod was deleted sooner than the model"},
	}[e.Kind]
	if e.Kind == timeline.Started {
		p = pair{"back-off longer than the model", "restarted sooner than the model's back-off"}
		if e.Instance == 0 {
			p = pair{"slow to schedule, pull or start", "started sooner than the model"}
		}
	}
	if late {
		return p.late
	}
	return p.early
}

// seconds renders a gap for a sentence: "42 s", "1.5 s", "3m10s".
func seconds(d time.Duration) string {
	d = d.Abs()
	switch {
	case d >= 2*time.Minute:
		return d.Round(time.Second).String()
	case d >= 10*time.Second:
		return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// exitWords renders an exit: "137 (Error)".
func exitWords(e timeline.Entry) string {
	s := "?"
	if e.ExitCode != nil {
		s = fmt.Sprint(*e.ExitCode)
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}
