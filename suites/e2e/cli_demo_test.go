//go:build e2e

package e2e_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/scenarios"
)

// `probedrill demo` end to end, in-process: the command a teacher types,
// in plain mode (what CI and pipes get), on the real cluster, judged by
// what it prints and what it leaves behind.
var _ = Describe("probedrill demo", Label("cli"), func() {
	const name = "classroom-fast"
	demo, err := scenarios.Get(name)
	if err != nil {
		panic(err)
	}

	It("shows "+name+" live, ends with the kubectl commands, and deletes its namespace", func(ctx SpecContext) {
		var stdout, log bytes.Buffer
		err := app.RunContext(ctx, cli.NewLogger(&log, 0), cmd.IOStreams{Out: &stdout, ErrOut: &log},
			[]string{"demo", name, "--plain", "--context", cluster.Context, "--calibration", e2eCalibration})
		out := stdout.String()
		AddReportEntry("probedrill demo output", log.String()+out)
		// Whether the kubelet matched the model is the scenario specs'
		// business; here the demo must run to its verdict, whatever it is.
		if err != nil {
			Expect(err.Error()).To(ContainSubstring("expectations not met"), "the demo did not run to its verdict")
		}
		Expect(out).To(MatchRegexp(`(?m)^Verdict: `))
		Expect(out).NotTo(ContainSubstring("\x1b"), "plain mode prints no escape codes")
		By("telling the timeline against the windows conditioned on what it saw, then against those predicted up front")
		Expect(out).To(MatchRegexp(`(?m)^Timeline: \d+ of \d+ `))
		Expect(out).To(MatchRegexp(`(?m)^Up front: \d+ of \d+ `))

		By("printing the kubelet's Killing event for the container, as a line of its own")
		Expect(out).To(MatchRegexp(`(?m)^\+\S+\s+Killing #0\s+Container %s failed liveness probe, will be restarted`, demo.Pod.ContainerName))
		By("counting restarts")
		Expect(out).To(MatchRegexp(`RESTARTS [1-9]`))

		By("ending with the kubectl commands for the drill's namespace and pod")
		ns := namespaceOf(out, demo.Pod.Name)
		for _, hint := range []string{
			"kubectl -n " + ns + " get pod " + demo.Pod.Name + " -w",
			"kubectl -n " + ns + " describe pod " + demo.Pod.Name,
			"kubectl -n " + ns + " logs " + demo.Pod.Name + " --previous",
			"kubectl -n " + ns + " get events --field-selector involvedObject.name=" + demo.Pod.Name,
		} {
			Expect(out).To(ContainSubstring(hint))
		}
		Expect(out).To(ContainSubstring("Namespace " + ns + " deleted"))
		expectNamespaceGone(ctx, ns)
	}, SpecTimeout(specTimeout(demo)))

	It("deletes its namespace when interrupted (Ctrl-C cancels the command's context)", func(ctx SpecContext) {
		demoCtx, interrupt := context.WithCancel(ctx)
		defer interrupt()
		var stdout syncBuffer
		var log bytes.Buffer
		done := make(chan error, 1)
		go func() {
			done <- app.RunContext(demoCtx, cli.NewLogger(&log, 0), cmd.IOStreams{Out: &stdout, ErrOut: &log},
				[]string{"demo", name, "--plain", "--context", cluster.Context, "--calibration", e2eCalibration})
		}()
		By("interrupting once the container has started")
		Eventually(ctx, stdout.String).WithTimeout(startupSlack).WithPolling(pollEvery).Should(MatchRegexp(`(?m)^\+\S+\s+Started #0`))
		interrupt()
		Eventually(ctx, done).WithTimeout(teardownSlack).Should(Receive(BeNil()))
		out := stdout.String()
		AddReportEntry("probedrill demo output", log.String()+out)
		ns := namespaceOf(out, demo.Pod.Name)
		Expect(out).To(ContainSubstring("Namespace " + ns + " deleted"))
		expectNamespaceGone(ctx, ns)
	}, SpecTimeout(startupSlack+2*teardownSlack))
})

// namespaceOf reads the drill's namespace from the demo's kubectl hints.
func namespaceOf(out, pod string) string {
	m := regexp.MustCompile(`kubectl -n (\S+) get pod ` + regexp.QuoteMeta(pod) + ` -w`).FindStringSubmatch(out)
	Expect(m).To(HaveLen(2), "the demo's output names no namespace:\n%s", out)
	return m[1]
}

// expectNamespaceGone asserts the namespace is deleted or being deleted.
func expectNamespaceGone(ctx context.Context, name string) {
	ns, err := clientset.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	Expect(ns.DeletionTimestamp != nil || ns.Status.Phase == corev1.NamespaceTerminating).To(BeTrue(),
		"namespace %s is still %s after the demo", name, ns.Status.Phase)
}

// syncBuffer is a bytes.Buffer safe to read while the demo writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Clone(b.buf.String())
}
