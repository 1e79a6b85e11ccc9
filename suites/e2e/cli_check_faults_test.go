//go:build e2e

package e2e_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
)

// The faults `probedrill check` injects into a team's own container from
// its node (docs/check.md, "Injected faults"), on real services: what each
// probe config must do, fault by fault, and every fault undone.
var _ = Describe("probedrill check injects faults from outside", Label("cli", "check", "inject"), func() {
	// how a fault must end: restarted (by the liveness probe) or spared.
	type end struct {
		pass, restarted bool
		exit137         bool   // a frozen app cannot act on SIGTERM: the grace period, then SIGKILL
		advice          string // a fragment of the advice
	}
	const perEntry = 6 * time.Minute
	DescribeTable("fault by fault", func(ctx SpecContext, file string, args []string, exit int, want map[string]end) {
		report, err := checkOwn(ctx, file, false, args...)
		Expect(app.ExitCode(err)).To(Equal(exit), "%v", err)
		Expect(report.Faults).To(HaveLen(len(want)))
		for _, f := range report.Faults {
			w, ok := want[f.Fault]
			Expect(ok).To(BeTrue(), "unexpected fault %s", f.Fault)
			By(f.Fault + ": " + f.Observed)
			Expect(f.Result).To(Equal(map[bool]string{true: "pass", false: "fail"}[w.pass]), "%s: %s%s", f.Fault, f.Advice, f.Skipped)
			in := f.Injected
			Expect(in).NotTo(BeNil(), f.Fault)
			Expect(in.Did).NotTo(BeEmpty())
			Expect(in.LastedSeconds).NotTo(BeNil(), "%s was never undone", f.Fault)
			Expect(in.RestartSeconds != nil).To(Equal(w.restarted), "%s restarted", f.Fault)
			if w.restarted {
				// events are best effort: on a busy node the Killing event
				// may come late or not at all, the restart is what counts
				Expect(in.LivenessFailures).To(BeNumerically(">=", 1), f.Fault)
				if in.KillingSeconds == nil {
					By(f.Fault + ": no Killing event arrived; the restart and exit say what happened")
				}
			}
			switch {
			case w.exit137 && in.ExitCode == nil:
				// suites/README.md: a busy kubelet may remove an exited
				// container before any status shows it as lastState
				By(f.Fault + ": the exit never showed in the container's status")
				// the grace period is then told from the Killing → restart
				// gap, when the event came in time to show it (run 54:
				// Killing +6.9 s, restart +20.2 s)
				if in.KillingSeconds == nil || *in.RestartSeconds-*in.KillingSeconds < 10-2 {
					continue
				}
			case w.exit137:
				// The Killing event may arrive seconds late on a busy node:
				// the floor is the model's earliest kill (2 periods + the
				// timeout: 5 s) plus the whole 10 s grace period.
				Expect(*in.ExitCode).To(Equal(int32(137)), f.Fault)
				Expect(*in.EndedSeconds).To(BeNumerically(">=", 5+10-apiResolution.Seconds()),
					"%s: a stopped app waits the whole 10 s grace period", f.Fault)
			}
			Expect(f.Advice).To(ContainSubstring(w.advice), f.Fault)
		}
		expectNamespacesGone(ctx, report)
	},
		Entry("nginx, good: hung and unreachable restarted, starved spared", "../../examples/nginx/good.yaml",
			[]string{"--faults", "freeze,cpu-starve,port-blocked"}, 0, SpecTimeout(perEntry), map[string]end{
				"freeze":       {pass: true, restarted: true, exit137: true, advice: "whole grace period (10s)"},
				"cpu-starve":   {pass: true},
				"port-blocked": {pass: true, restarted: true},
			}),
		Entry("Redis, an exec probe of one binary: a hang restarted", "../../examples/redis/good.yaml",
			[]string{"--faults", "freeze"}, 0, SpecTimeout(perEntry), map[string]end{
				"freeze": {pass: true, restarted: true, exit137: true},
			}),
		Entry("PostgreSQL, good: spared under cpu-starve", "../../examples/postgres/good.yaml",
			[]string{"--faults", "cpu-starve"}, 0, SpecTimeout(perEntry), map[string]end{
				"cpu-starve": {pass: true},
			}),
		Entry("PostgreSQL, an exec probe given 1 s: a false restart under cpu-starve", "../../examples/postgres/exec-timeout.yaml",
			[]string{"--faults", "cpu-starve"}, 1, SpecTimeout(perEntry), map[string]end{
				"cpu-starve": {restarted: true, advice: "liveness failures under a 5% CPU quota (timeoutSeconds 1, failureThreshold 3)"},
			}),
		Entry("web whose liveness probe checks Redis: a false restart", "../../examples/web-redis/liveness-checks-redis.yaml",
			[]string{"--workload", "deploy/web", "--faults", "dependency-cut"}, 1, SpecTimeout(perEntry), map[string]end{
				"dependency-cut": {restarted: true, advice: "Check the dependency in the readinessProbe"},
			}),
		Entry("web whose readiness probe checks Redis: spared, not ready", "../../examples/web-redis/readiness-checks-redis.yaml",
			[]string{"--workload", "deploy/web", "--faults", "dependency-cut"}, 0, SpecTimeout(perEntry), map[string]end{
				"dependency-cut": {pass: true, advice: "readiness failures took it out of its Service's endpoints"},
			}),
	)

	// Ctrl-C in the middle of three faults at once: each is undone before
	// its pod and namespace are deleted, and the nodes prove it.
	It("undoes every fault on SIGINT", SpecTimeout(6*time.Minute), func(ctx SpecContext) {
		bin := filepath.Join(GinkgoT().TempDir(), "probedrill")
		build := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "../../cmd/probedrill")
		out, err := build.CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), "%s", out)

		// A 60 s grace period keeps the frozen container frozen (it cannot
		// act on SIGTERM) long after its Killing: the freeze is in place.
		data, err := os.ReadFile("../../examples/web-redis/readiness-checks-redis.yaml")
		Expect(err).NotTo(HaveOccurred())
		stream := strings.Replace(string(data), "terminationGracePeriodSeconds: 10", "terminationGracePeriodSeconds: 60", 1)
		Expect(stream).To(ContainSubstring("terminationGracePeriodSeconds: 60"))
		var stderr syncBuffer
		check := exec.Command(bin, "check", "-", "--workload", "deploy/web", "--context", cluster.Context,
			"--faults", "freeze,cpu-starve,dependency-cut", "--duration", "5m")
		check.Stdin, check.Stderr = strings.NewReader(stream), &stderr
		Expect(check.Start()).To(Succeed())
		exited := make(chan error, 1)
		go func() { exited <- check.Wait() }()

		By("waiting until the three faults are in place")
		for _, f := range []string{"freeze: SIGSTOP", "cpu-starve: CPU quota", "dependency-cut: iptables -I OUTPUT"} {
			Eventually(stderr.String).WithContext(ctx).WithTimeout(3*time.Minute).Should(ContainSubstring("· "+f), "stderr:\n%s", stderr.String())
		}
		Expect(stderr.String()).NotTo(ContainSubstring("undone"), "a fault ended before the interrupt")
		log := stderr.String()
		pids := regexp.MustCompile(`PIDs ([0-9 ]+)\) on node (\S+)`).FindStringSubmatch(log)
		Expect(pids).To(HaveLen(3), log)
		container := regexp.MustCompile(`CPU quota of container (\S+) on node (\S+):`).FindStringSubmatch(log)
		Expect(container).To(HaveLen(3), log)

		By("sending SIGINT")
		Expect(check.Process.Signal(syscall.SIGINT)).To(Succeed())
		var exitErr error
		Eventually(exited).WithTimeout(3 * time.Minute).Should(Receive(&exitErr))
		log = stderr.String()
		AddReportEntry("probedrill check, interrupted", log)
		Expect(exitErr).To(HaveOccurred())
		Expect(exitErr.(*exec.ExitError).ExitCode()).To(Equal(1), log)
		Expect(log).To(ContainSubstring("interrupted"))
		for _, f := range []string{"freeze: undone after", "cpu-starve: undone after", "dependency-cut: undone after"} {
			Expect(log).To(ContainSubstring(f))
		}

		By("proving on the nodes: no process stopped, no quota left, no frozen cgroup")
		for _, pid := range strings.Fields(pids[1]) {
			stat := nodeSh(pids[2], `s=$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null); echo "${s:-gone}"`, pid)
			Expect(stat).NotTo(Equal("T"), "PID %s on %s is still stopped", pid, pids[2])
		}
		quotas := nodeSh(container[2], `find /sys/fs/cgroup/cpu,cpuacct /sys/fs/cgroup -maxdepth 6 -type d -name "cri-containerd-$1*" `+
			`-exec cat {}/cpu.cfs_quota_us \; 2>/dev/null; true`, container[1])
		Expect(quotas).NotTo(ContainSubstring("5000"), "container %s keeps the squeezed quota", container[1])
		for _, node := range []string{pids[2], container[2]} {
			frozen := nodeSh(node, `grep -rl FROZEN /sys/fs/cgroup/freezer/kubelet.slice --include=freezer.state 2>/dev/null; true`)
			Expect(frozen).To(BeEmpty(), "frozen cgroups on %s", node)
		}
		By("no namespace left: the sandbox, and the rule in its network namespace, went with it")
		namespaces := regexp.MustCompile(`\(namespace (pd-check-[a-z0-9-]+)\)`).FindAllStringSubmatch(log, -1)
		Expect(namespaces).To(HaveLen(3), log)
		for _, ns := range namespaces {
			Eventually(func() bool {
				_, err := clientset.CoreV1().Namespaces().Get(ctx, ns[1], metav1.GetOptions{})
				return apierrors.IsNotFound(err)
			}).WithTimeout(2*time.Minute).Should(BeTrue(), "namespace %s", ns[1])
		}
	})
})

// On a cluster other than probedrill's, check reaches the nodes through a
// privileged injector pod per node, in a namespace the user names. Tried
// here on probedrill's cluster, where --injector-namespace forces that path.
var _ = Describe("probedrill check through an injector pod", Label("cli", "check", "inject"), func() {
	It("injects through the pod in a privileged namespace, and deletes it", SpecTimeout(5*time.Minute), func(ctx SpecContext) {
		ns := podSecurityNamespace(ctx, "privileged")
		report, err := checkOwn(ctx, "../../examples/nginx/good.yaml", false, "--faults", "freeze,port-blocked", "--injector-namespace", ns)
		Expect(err).NotTo(HaveOccurred())
		Expect(report.Nodes).To(ContainSubstring("injector pod"))
		for _, f := range report.Faults {
			Expect(f.Result).To(Equal("pass"), "%s: %s", f.Fault, f.Observed)
			Expect(f.Injected.RestartSeconds).NotTo(BeNil(), f.Fault)
		}
		pods, err := clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		Expect(err).NotTo(HaveOccurred())
		Expect(pods.Items).To(BeEmpty(), "injector pods left behind")
		expectNamespacesGone(ctx, report)
	})

	It("refuses a namespace whose Pod Security level forbids it: exit 2, nothing created", SpecTimeout(2*time.Minute), func(ctx SpecContext) {
		ns := podSecurityNamespace(ctx, "baseline")
		var stdout, log bytes.Buffer
		streams := cmd.IOStreams{In: strings.NewReader(deployment("inj-refused", "probedrill/nginx:bookworm", livenessYAML)), Out: &stdout, ErrOut: &log}
		err := app.RunContext(ctx, cli.NewLogger(&log, 0), streams, []string{"check", "-", "--context", cluster.Context,
			"--faults", "freeze", "--injector-namespace", ns})
		Expect(app.ExitCode(err)).To(Equal(2), "%v", err)
		Expect(err.Error()).To(ContainSubstring(`violates PodSecurity "baseline:latest": host namespaces (hostPID=true)`))
		Expect(err.Error()).To(ContainSubstring("pod-security.kubernetes.io/enforce=privileged"))
		pods, lerr := clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		Expect(lerr).NotTo(HaveOccurred())
		Expect(pods.Items).To(BeEmpty())
		list, lerr := clientset.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: drill.LabelDrill + "=check-inj-refused"})
		Expect(lerr).NotTo(HaveOccurred())
		Expect(list.Items).To(BeEmpty(), "namespaces left by a refused check")
	})
})

// podSecurityNamespace creates a namespace enforcing Pod Security level,
// deleted after the spec.
func podSecurityNamespace(ctx SpecContext, level string) string {
	ns, err := clientset.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: "pd-injector-" + level + "-",
		Labels:       map[string]string{drill.LabelDrill: "injector-e2e", "pod-security.kubernetes.io/enforce": level},
	}}, metav1.CreateOptions{})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func(ctx SpecContext) {
		Expect(clientset.CoreV1().Namespaces().Delete(ctx, ns.Name, metav1.DeleteOptions{})).To(Succeed())
	})
	return ns.Name
}

// goTool is the go command the Makefile runs (GO), else go.
func goTool() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// nodeSh runs a shell script on a node of probedrill's cluster, with args
// as $1…, and returns its trimmed output.
func nodeSh(node, script string, args ...string) string {
	nodes, err := kindcluster.NewProvider().ListInternalNodes(cluster.Name)
	Expect(err).NotTo(HaveOccurred())
	for _, n := range nodes {
		if n.String() != node {
			continue
		}
		var out bytes.Buffer
		cmd := n.Command("sh", append([]string{"-c", script, "sh"}, args...)...)
		cmd.SetStdout(&out)
		Expect(cmd.Run()).To(Succeed(), script)
		return strings.TrimSpace(out.String())
	}
	Fail("no node " + node)
	return ""
}
