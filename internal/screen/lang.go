package screen

import (
	"fmt"
	"strings"

	"github.com/probedrill/probedrill/internal/predict"
)

// ParseLang reads --lang: "en" (default) or "zh".
func ParseLang(s string) (predict.Lang, error) {
	switch strings.ToLower(s) {
	case "", "en":
		return predict.English, nil
	case "zh", "zh-cn", "zh_cn", "cn":
		return predict.Chinese, nil
	}
	return "", fmt.Errorf("--lang %q: use en or zh", s)
}

// words are the screen's own phrases in one language. Format verbs are
// noted where a phrase takes arguments.
type words struct {
	predicted, observed, events, justNow string
	started, restart                     string // restart: %d
	exit                                 string // exit: code, reason
	ready, notReady, deleted             string
	seen, early, late, different         string // early/late: %s
	due, overdue, missed, notReached     string
	skipped                              string
	extra                                string
	watching                             string // %s: how long
	stopKeys                             string // %s: namespace
	verdict, allMet, someUnmet, stopped  string
	timelineOK, timelineBad              string // %d of %d
	upFrontOK, upFrontBad                string // %d of %d
	seeYourself                          string
	hintWatch, hintDescribe, hintLogs    string
	hintEvents                           string
	deletedNS, keptNS, cleanupFailed     string // %s namespace (keptNS: twice)
	podIn, liveness, readiness, startup  string
	fault, offsets, restartsOverTime     string
	exits                                string
	finished                             string // %s: when
	paused                               string // %s: how long, %s: when
	// Punctuation: Chinese text takes fullwidth brackets, comma and colon.
	lp, rp, comma, colon string
}

// wordsFor returns the phrases of l. Chinese follows the seed chapter's terms.
func wordsFor(l predict.Lang) words {
	if l == predict.Chinese {
		return zhWords()
	}
	return enWords()
}

func enWords() words {
	return words{
		predicted: "predicted", observed: "observed", events: "Events", justNow: "Just now: ",
		started: "container started", restart: "restart %d: a brand-new container",
		exit:  "exit code %s (%s)",
		ready: "Ready", notReady: "NotReady", deleted: "pod deleted",
		seen: "✓", early: "%s early", late: "%s late", different: "different exit",
		due: "due now", overdue: "overdue", missed: "not observed", notReached: "not reached",
		skipped:  "did not happen (possible)",
		extra:    "not predicted",
		watching: "Watching for up to %s. Each line below is something the cluster did:",
		stopKeys: "q stops · namespace %s is deleted at the end (--keep keeps it)",
		verdict:  "Verdict: ", allMet: "all %d expectations met", someUnmet: "%d of %d expectations not met",
		stopped:    "stopped at %s: %d of %d expectations decided so far",
		timelineOK: "Timeline: %d of %d predicted entries seen in their windows", timelineBad: "Timeline: %d of %d not as predicted",
		upFrontOK:   "Up front: %d of %d seen inside the windows predicted before the pod existed",
		upFrontBad:  "Up front: %d of %d outside the windows predicted before the pod existed",
		seeYourself: "See the same with kubectl:",
		hintWatch:   "RESTARTS and STATUS, live", hintDescribe: "Last State, Exit Code, Restart Count, Events",
		hintLogs: "the log of the container that was killed", hintEvents: "only the events",
		deletedNS:     "Namespace %s deleted (pass --keep to leave it for these commands).",
		keptNS:        "Namespace %s kept; remove it with: kubectl delete namespace %s",
		cleanupFailed: "Could not delete namespace %s: remove it with: kubectl delete namespace %s",
		podIn:         "Pod %s (container %s) in namespace %s.",
		liveness:      "Liveness", readiness: "Readiness", startup: "Startup",
		fault: "app: ", offsets: "Predicted timeline (usual time after the pod's creation, −/+ how much earlier/later):",
		restartsOverTime: "RESTARTS over time:", exits: "Exit codes:",
		paused: "The machine was paused %s at %s (its wall clock jumped ahead of its monotonic clock): " +
			"the offsets leave the pause out, as the kubelet's timers did.",
		finished: "finished at %s",
		lp:       "(", rp: ")", comma: ", ", colon: ": ",
	}
}

func zhWords() words {
	return words{
		predicted: "预测", observed: "实际", events: "事件", justNow: "刚刚发生：",
		started: "容器启动", restart: "第 %d 次重启：一个全新的容器",
		exit:  "退出码 %s（%s）",
		ready: "就绪（Ready）", notReady: "未就绪（NotReady）", deleted: "Pod 被删除",
		seen: "✓", early: "早了 %s", late: "晚了 %s", different: "退出码不同",
		due: "应在此刻", overdue: "已超时", missed: "未观察到", notReached: "未到时间",
		skipped:  "未发生（可能发生）",
		extra:    "不在预测中",
		watching: "最多观察 %s。下面每一行都是集群实际做的事：",
		stopKeys: "按 q 停止 · 结束时删除命名空间 %s（--keep 保留）",
		verdict:  "结论：", allMet: "%d 项预期全部符合", someUnmet: "%d 项预期未符合（共 %d 项）",
		stopped:    "在 %s 停止：已判定 %d 项预期（共 %d 项）",
		timelineOK: "时间线：%d 项预测（共 %d 项）都在预测的时间窗口内发生", timelineBad: "时间线：%d 项与预测不符（共 %d 项）",
		upFrontOK:   "事先预测：%d 项（共 %d 项）都落在创建 Pod 之前预测的时间窗口内",
		upFrontBad:  "事先预测：%d 项不在创建 Pod 之前预测的时间窗口内（共 %d 项）",
		seeYourself: "用 kubectl 自己查看：",
		hintWatch:   "实时观察 RESTARTS 和 STATUS", hintDescribe: "上一个容器的状态、退出码、重启次数和事件",
		hintLogs: "被终止的前一个容器的日志", hintEvents: "只看事件",
		deletedNS:     "命名空间 %s 已删除（加上 --keep 可保留它，以便执行上面的命令）。",
		keptNS:        "命名空间 %s 已保留；用完后执行：kubectl delete namespace %s",
		cleanupFailed: "无法删除命名空间 %s，请执行：kubectl delete namespace %s",
		podIn:         "Pod %s（容器 %s），命名空间 %s。",
		liveness:      "存活探针", readiness: "就绪探针", startup: "启动探针",
		fault: "应用：", offsets: "预测的时间线（从 Pod 创建算起的通常时刻，−/+ 为可能提前/推迟多少）：",
		restartsOverTime: "RESTARTS 随时间的变化：", exits: "退出码：",
		paused:   "机器暂停了 %s，从 %s 开始（墙上时钟跳到了单调时钟前面）：时间线不计这段暂停，和 kubelet 的计时器一样。",
		finished: "在 %s 结束",
		lp:       "（", rp: "）", comma: "，", colon: "：",
	}
}
