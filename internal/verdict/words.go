package verdict

import (
	"fmt"
	"strings"
	"time"

	"github.com/probedrill/probedrill/internal/bilingual"
	"github.com/probedrill/probedrill/internal/timeline"
)

// label names an entry the way a teacher says it: "restart 3", "Killing #2",
// "Liveness probe failure 4". nth is the entry's position among its peers
// (used for probe failures, which are matched by order).
func label(e timeline.Entry, nth int) string { return labelIn(e, nth).EN }

// labelIn is label in both languages, for findings.
func labelIn(e timeline.Entry, nth int) phrase {
	switch e.Kind {
	case timeline.Started:
		if e.Instance == 0 {
			return say("container start", "容器启动")
		}
		return say("restart %d", "第 %d 次重启", e.Instance)
	case timeline.ProbeFailed:
		if p := probeType(e.Message); p != "" {
			return say("%s probe failure %d", "第 %[2]d 次%[1]s失败", bilingual.Probe(p), nth)
		}
		return say("probe failure %d", "第 %d 次探针失败", nth)
	case timeline.Terminated:
		return say("exit of instance #%d", "实例 #%d 退出", e.Instance)
	case timeline.BackOff:
		return say("CrashLoopBackOff #%d", "CrashLoopBackOff #%d", e.Instance)
	case timeline.PodDeleted:
		return say("pod deletion", "Pod 被删除")
	}
	return say("%s #%d", "%s #%d", e.Kind, e.Instance)
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
func exitWords(e timeline.Entry) string { return exitIn(e).EN }

// exitIn is exitWords in both languages: "137 (Error)", "137（Error）".
func exitIn(e timeline.Entry) phrase {
	code := "?"
	if e.ExitCode != nil {
		code = fmt.Sprint(*e.ExitCode)
	}
	if e.Reason == "" {
		return phrase{EN: code, ZH: code}
	}
	return say("%s (%s)", "%s（%s）", code, e.Reason)
}

// phrase is a finding's sentence in English and in Chinese: Finding keeps
// both, so the suites read English while a demo under --lang zh speaks the
// seed chapter's language.
type phrase = bilingual.Text

var say = bilingual.Say
