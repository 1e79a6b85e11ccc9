package predict

import (
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/bilingual"
	"github.com/probedrill/probedrill/scenarios"
)

// Lang selects the language of the predicted entries' Why.
type Lang string

// The languages the CLI's --lang offers.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// phrase is one teaching line in both languages; the language is chosen
// when the prediction is exported, so the simulation stays language-free.
type phrase = bilingual.Text

var say = bilingual.Say

// in is p in language l.
func in(p phrase, l Lang) string {
	if l == Chinese {
		return p.Chinese()
	}
	return p.EN
}

// ordinal spells 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// zhType names a probe type in Chinese, as the seed does.
func zhType(t probeType) string { return bilingual.Probe(t.String()).ZH }

func whyFirstStart() phrase {
	return say("The kubelet starts the container (restartCount 0).", "kubelet 启动容器（restartCount 0）。")
}

// faultBegins says what faultyapp starts doing at the request that begins it.
func faultBegins(fault string) phrase {
	switch fault {
	case scenarios.FaultFailAfter:
		return say("starts answering 500", "开始返回 500")
	case scenarios.FaultHang:
		return say("stops answering (the handler hangs)", "不再应答（处理函数挂起）")
	case scenarios.FaultDeadlock:
		return say("deadlocks: two mutexes taken in opposite order", "发生死锁：两个互斥锁以相反顺序加锁")
	case scenarios.FaultCrash:
		return say("exits without answering", "不作应答直接退出")
	case scenarios.FaultGRPC:
		return say("answers gRPC health NOT_SERVING", "gRPC 健康检查开始返回 NOT_SERVING")
	}
	return say("begins its fault", "开始出错")
}

// failureCause says why one probe failed.
func failureCause(o outcome, ps *probeSpec) phrase {
	switch o.fail {
	case badStatus:
		return say("HTTP %d", "HTTP %d", o.code)
	case timedOut:
		return say("no answer within timeoutSeconds %d", "在 timeoutSeconds %d 秒内没有应答", int(ps.timeout/time.Second))
	case refused:
		return say("connection refused: nothing listens", "连接被拒绝：没有进程在监听")
	case eof:
		return say("the process died mid-request", "进程在请求中途退出")
	case execFailed:
		return say("`faultyapp check` exits 1: the health file is gone", "`faultyapp check` 返回 1：健康文件已被删除")
	case notServing:
		return say("NOT_SERVING", "NOT_SERVING")
	}
	return say("failed", "失败")
}

func whyProbeFailed(o outcome, ps *probeSpec, run int, fault string) phrase {
	count := phrase{
		EN: fmt.Sprintf(" (%s failure %d of %d)", lower(ps.typ), run, ps.failure),
		ZH: fmt.Sprintf("（%s第 %d 次失败，阈值 %d）", zhType(ps.typ), run, ps.failure),
	}
	if run > ps.failure {
		count = phrase{EN: fmt.Sprintf(" (%d %s failures in a row)", run, lower(ps.typ)),
			ZH: fmt.Sprintf("（%s连续第 %d 次失败）", zhType(ps.typ), run)}
	}
	if o.began {
		b := faultBegins(fault)
		return phrase{
			EN: fmt.Sprintf("%s request: faultyapp %s", ordinal(o.request), b.EN),
			ZH: fmt.Sprintf("第 %d 个请求：faultyapp %s", o.request, b.ZH),
		}.Plus(count)
	}
	c := failureCause(o, ps)
	return phrase{
		EN: fmt.Sprintf("%s probe fails: %s", ps.typ, c.EN),
		ZH: fmt.Sprintf("%s失败：%s", zhType(ps.typ), c.ZH),
	}.Plus(count)
}

func whyKilling(ps *probeSpec, grace time.Duration) phrase {
	return phrase{
		EN: fmt.Sprintf("%s consecutive %s failure (failureThreshold %d): the kubelet kills the container, grace period %v",
			ordinal(ps.failure), lower(ps.typ), ps.failure, grace),
		ZH: fmt.Sprintf("%s连续第 %d 次失败（failureThreshold %d）：kubelet 终止容器，宽限期 %v",
			zhType(ps.typ), ps.failure, ps.failure, grace),
	}
}

func lower(t probeType) string { return [...]string{"liveness", "readiness", "startup"}[t] }

// whyBackOff: in the kill's own sync the check is against the container
// before the killed one; in later syncs against the one that just exited.
func whyBackOff(since, delay time.Duration, killSync bool) phrase {
	if killSync {
		return say("CrashLoopBackOff: the container before this one exited only %v ago, less than the %v back-off, so the kubelet waits %v from this exit",
			"CrashLoopBackOff：上一个容器仅在 %v 前退出，小于 %v 的回退时间，kubelet 从本次退出起等待 %v",
			since.Round(time.Second), delay, delay)
	}
	return say("CrashLoopBackOff: the container exited %v ago, less than the %v back-off, so the kubelet waits",
		"CrashLoopBackOff：容器在 %v 前退出，小于 %v 的回退时间，kubelet 等待", since.Round(time.Second), delay)
}

// startCause is why and how a restart went ahead, for its Why.
type startCause struct {
	kind  int           // causeFirst … causeWaited
	since time.Duration // since the exit checked (the start, for causeWaited)
	was   time.Duration // the back-off compared with since
	next  time.Duration // the back-off after this start
}

const (
	causeFirst = iota
	causeNoExited
	causeRemoved
	causeDeleted
	causeNoEntry
	causeExpired
	causeLongAgo
	causeWaited
)

func whyStart(n int, c startCause) phrase {
	head := say("Restart %d: ", "第 %d 次重启：", n)
	switch c.kind {
	case causeFirst:
		return whyFirstStart()
	case causeNoExited:
		return head.Plus(say("no earlier container has exited, so doBackOff has nothing to wait for: it starts in the kill's own sync",
			"此前没有已退出的容器，doBackOff 无需等待：与终止在同一次同步中启动"))
	case causeRemoved:
		return head.Plus(say("the kubelet had already deleted the container before (its exit never showed in the status), so doBackOff found no exited container: it starts in the kill's own sync and the back-off does not move on",
			"kubelet 已删除上一个容器（其退出从未出现在状态中），doBackOff 找不到已退出的容器：与终止在同一次同步中启动，回退不前进"))
	case causeDeleted:
		return head.Plus(say("it ran in the kill's own sync, before the %v back-off could end, so doBackOff found no exited container: the kubelet had already deleted the one before. The back-off stays %v",
			"它在终止的同一次同步中运行，早于 %v 的回退结束，说明 doBackOff 找不到已退出的容器：kubelet 已删除上一个容器。回退时间仍为 %v", c.was, c.was))
	case causeNoEntry:
		return head.Plus(say("no back-off is recorded yet, so it starts at once; the next back-off is %v",
			"尚无回退记录，立即启动；下一次回退为 %v", c.next))
	case causeExpired:
		return head.Plus(say("the container ran for more than 10 minutes, so the kubelet forgot its back-off: it starts at once, and the next back-off is %v again",
			"容器运行超过 10 分钟，kubelet 已清除回退记录：立即启动，下一次回退重新从 %v 开始", c.next))
	case causeLongAgo:
		return head.Plus(say("the container before exited %v ago, not less than the %v back-off, so it starts at once; the back-off becomes %v",
			"上一个容器在 %v 前退出，不小于 %v 的回退时间，立即启动；回退时间变为 %v",
			c.since.Round(time.Second), c.was, c.next))
	}
	return head.Plus(say("CrashLoopBackOff held it back: it runs %v after the exit (back-off %v, then the pod worker's next sync)",
		"CrashLoopBackOff 使其延迟：退出 %v 后才运行（回退时间 %v，再加上 Pod worker 的下一次同步）",
		c.since.Round(time.Second), c.was))
}

func whyTie() phrase {
	return say(" (a near-tie between the time since the last exit and the back-off: the other outcome is inside the window)",
		"（距上次退出的时间与回退时间几乎相等：另一种结果也在容差窗口内）")
}

// whyExit explains an exit code and reason (containerd: 0 Completed,
// non-zero Error, OOMKilled when the cgroup saw an OOM kill).
func whyExit(t termination) phrase {
	grace := t.grace
	switch t.cause {
	case exitedAtTerm:
		return say("Exit 143 = 128+15: faultyapp exits at SIGTERM", "退出码 143 = 128+15：faultyapp 收到 SIGTERM 后立即退出")
	case drained:
		return say("Exit 0, Completed: faultyapp drains and exits cleanly at SIGTERM", "退出码 0，Completed：faultyapp 收到 SIGTERM 后处理完请求正常退出")
	case sigkilled:
		return say("Exit 137 = 128+9: faultyapp ignores SIGTERM, so SIGKILL comes after the %v grace period",
			"退出码 137 = 128+9：faultyapp 忽略 SIGTERM，宽限期 %v 结束后收到 SIGKILL", grace)
	case drainStuck:
		return say("Exit 137: a deadlocked request never finishes, so the drain outlasts the %v grace period and SIGKILL ends it",
			"退出码 137：死锁的请求永远不会结束，优雅退出超过 %v 宽限期，被 SIGKILL 终止", grace)
	case oomKilled:
		return say("OOMKilled, exit 137: the leak reached the container's memory limit", "OOMKilled，退出码 137：内存泄漏达到容器的内存上限")
	}
	return say("Exit %d: faultyapp exits by itself (-exit-code); the kubelet did not kill it, it only restarts it",
		"退出码 %d：faultyapp 自行退出（-exit-code）；kubelet 没有终止它，只是重启它", t.code)
}

func whyReady(threshold int) phrase {
	return say("Readiness passed (successThreshold %d): the pod is Ready and joins its Service's endpoints",
		"就绪探针通过（successThreshold %d）：Pod 就绪，加入 Service 的端点", threshold)
}

func whyNotReady(run int) phrase {
	if run == 0 {
		return say("The container is not running, so it is not ready", "容器没有运行，因此未就绪")
	}
	return say("Readiness failed %d times in a row: NotReady, removed from the endpoints, but not restarted",
		"就绪探针连续失败 %d 次：未就绪，从端点中移除，但不会重启", run)
}

func whySpam(warning bool) phrase {
	kind := "Normal"
	if warning {
		kind = "Warning"
	}
	return say(" (the 25th %s event for this pod: the kubelet's event spam filter now lets through one every 5 minutes)",
		"（本 Pod 的第 25 个 %s 事件：kubelet 的事件防刷过滤器此后每 5 分钟只放行一个）", kind)
}

func whyNever() phrase {
	return say("; restartPolicy Never leaves nothing to run, so the kubelet kills the whole pod (the pod's grace period, event \"Stopping container\")",
		"；restartPolicy 为 Never，没有需要运行的容器，kubelet 终止整个 Pod（使用 Pod 的宽限期，事件为 \"Stopping container\"）")
}
