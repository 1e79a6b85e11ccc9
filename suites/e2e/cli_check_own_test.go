//go:build e2e

package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
)

// `probedrill check` on real services (images/apps: Debian's nginx and
// PostgreSQL), in-process: each good config passes cold-start and crash,
// each bad one fails cold-start for the reason it should and has crash
// skipped (its probes kill it before it serves), and the check's namespace
// is gone afterwards. The nginx good config is fed as a stream on stdin with its
// ConfigMap and a Service, as `helm template | probedrill check -`.
var _ = Describe("probedrill check on your own app", Label("cli", "check"), func() {
	type want struct {
		exit    int
		killed  bool   // some start killed by liveness (else none)
		answers bool   // the gauge measured a need
		advice  string // a fragment of the advice
		crash   bool   // crash passes (else it is skipped: the app never served, or killed before)
		extra   func(ownReport)
	}
	// Each entry is 3 starts of a gauge pod and the pod itself, one after
	// another: PostgreSQL's good config takes about 2.5 min alone.
	const perEntry = 8 * time.Minute
	DescribeTable("cold-start", func(ctx SpecContext, file string, stdin bool, w want) {
		report, err := checkOwn(ctx, file, stdin, "--faults", "cold-start,crash")
		Expect(app.ExitCode(err)).To(Equal(w.exit), "%v", err)
		Expect(report.Faults).To(HaveLen(2))
		f := report.Faults[0]
		Expect(f.Fault).To(Equal("cold-start"))
		Expect(f.Result).To(Equal(map[int]string{0: "pass", 1: "fail"}[w.exit]))
		Expect(f.Starts).To(HaveLen(3))

		By("judging the starts: none killed, or at least one killed by its liveness probe")
		killed := 0
		for i, s := range f.Starts {
			if !s.Killed {
				continue
			}
			killed++
			Expect(w.killed).To(BeTrue(), "start %d was killed", i+1)
			Expect(s.Killing).To(ContainElement(ContainSubstring("failed liveness probe, will be restarted")), "start %d", i+1)
			Expect(*s.ExitCode).To(BeElementOf(int32(0), int32(137), int32(143)), "start %d", i+1)
		}
		// Not every start: an exec probe that errors (runc busy during
		// initdb) is no failure to the kubelet, so a start can slip through.
		Expect(killed > 0).To(Equal(w.killed))
		if w.answers {
			Expect(f.NeedMaxSeconds).NotTo(BeNil())
			// What the verdict rests on: a need inside the budget, or over it.
			Expect(*f.NeedMaxSeconds < report.Budget.Seconds).To(Equal(w.exit == 0), "need %v, budget %v", *f.NeedMaxSeconds, report.Budget.Seconds)
		} else {
			Expect(f.Starts[0].NeedSeconds).To(BeNil(), "the app must never answer its probe")
		}
		Expect(f.Advice).To(ContainSubstring(w.advice))
		switch crash := report.Faults[1]; {
		case w.crash:
			expectCrashRestarts(crash)
		case w.answers && crash.Result == "pass":
			// The bad PostgreSQL config kills most starts, not all: when
			// the crash pod's start slips through, crash runs, and passes.
			By("crash: the start slipped through its probes; crashed and restarted")
			Expect(crash.Signals).NotTo(BeEmpty())
			for _, sig := range crash.Signals {
				Expect(sig.Restarted).To(BeTrue(), sig.Signal)
			}
		default:
			By("crash: skipped, the app never served")
			Expect(crash.Result).To(Equal("skipped"))
			Expect(crash.Skipped).To(HaveSuffix("see cold-start"))
		}
		if w.extra != nil {
			w.extra(report)
		}
		expectNamespacesGone(ctx, report)
	},
		Entry("nginx, good, on stdin with a ConfigMap and a Service", "../../examples/nginx/good.yaml", true, SpecTimeout(perEntry),
			want{exit: 0, answers: true, advice: "Margin: needs", crash: true}),
		Entry("nginx, liveness on a port nginx does not listen on", "../../examples/nginx/wrong-port.yaml", false, SpecTimeout(perEntry),
			want{exit: 1, killed: true, advice: "never answered its probe's handler"}),
		Entry("PostgreSQL, a startup probe covers initdb", "../../examples/postgres/good.yaml", false, SpecTimeout(perEntry),
			want{exit: 0, answers: true, advice: "Margin: needs", crash: true, extra: func(r ownReport) {
				By("turning the StatefulSet's volumeClaimTemplate into an emptyDir, measuring Ready")
				Expect(r.Workload.Kind).To(Equal("StatefulSet"))
				Expect(r.Changed).To(ContainElement(HavePrefix("volume data: the volumeClaimTemplate became an emptyDir")))
				for _, s := range r.Faults[0].Starts {
					Expect(s.ReadySeconds).NotTo(BeNil(), "a readiness probe makes Ready a measurement")
				}
			}}),
		Entry("PostgreSQL, no startup probe: killed during initdb", "../../examples/postgres/no-startup-probe.yaml", false, SpecTimeout(perEntry),
			want{exit: 1, killed: true, answers: true, advice: "killed before it ever serves"}),
	)

	DescribeTable("bad input: exit 2, one sentence, nothing created", func(ctx SpecContext, name, input string, args []string, msg string) {
		var stdout, log bytes.Buffer
		streams := cmd.IOStreams{In: strings.NewReader(input), Out: &stdout, ErrOut: &log}
		err := app.RunContext(ctx, cli.NewLogger(&log, 0), streams, append([]string{"check", "-", "--context", cluster.Context}, args...))
		Expect(app.ExitCode(err)).To(Equal(2), "%v", err)
		Expect(err.Error()).To(ContainSubstring(msg))
		Expect(err.Error()).NotTo(ContainSubstring("\n"))
		list, lerr := clientset.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: drill.LabelDrill + "=check-" + name})
		Expect(lerr).NotTo(HaveOccurred())
		Expect(list.Items).To(BeEmpty(), "namespaces left by a refused check")
	},
		Entry("no probe", "bad-noprobe", deployment("bad-noprobe", "probedrill/nginx:bookworm", ""), nil,
			"stdin: spec.template.spec.containers[0]: container web has no probe; add the livenessProbe"),
		Entry("unknown workload", "bad-unknown", deployment("bad-unknown", "probedrill/nginx:bookworm", livenessYAML), []string{"--workload", "sts/bad-unknown"},
			"stdin: has no workload sts/bad-unknown (have Deployment/bad-unknown"),
		Entry("two workloads and no --workload", "bad-two",
			deployment("bad-two", "probedrill/nginx:bookworm", livenessYAML)+"---\n"+deployment("bad-two-b", "probedrill/nginx:bookworm", livenessYAML), nil,
			"stdin: holds 2 workloads: Deployment/bad-two (stdin document 1), Deployment/bad-two-b (stdin document 2); pass --workload KIND/NAME"),
		Entry("image nowhere", "bad-image", deployment("bad-image", "registry.example.com/nowhere:1.0", livenessYAML), nil,
			"image registry.example.com/nowhere:1.0 is neither on the cluster's nodes nor in this machine's Docker engine"),
		Entry("malformed YAML", "bad-yaml", deployment("bad-yaml", "probedrill/nginx:bookworm", livenessYAML)+"---\nkind: [\n", nil,
			"stdin: document 2: is not valid YAML"),
	)
})

const livenessYAML = "        livenessProbe:\n          httpGet: {path: /, port: 80}\n"

// deployment is a one-container Deployment named name, with probes (YAML
// at the container's indentation) appended.
func deployment(name, image, probes string) string {
	return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + "}\nspec:\n  selector: {matchLabels: {app: web}}\n" +
		"  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: " + image + "\n" + probes
}

// expectCrashRestarts: nginx and PostgreSQL under restartPolicy Always, as
// measured by hand: SIGKILL ends the container with 137 and it restarts at
// once; SIGTERM ends it with 0 (both shut down cleanly) and the restart
// waits the kubelet's first back-off, 10 s.
func expectCrashRestarts(f ownFault) {
	By("crash: SIGKILL then SIGTERM from the node, each restarted")
	Expect(f.Fault).To(Equal("crash"))
	Expect(f.Result).To(Equal("pass"), f.Observed)
	Expect(f.Signals).To(HaveLen(2))
	kill, term := f.Signals[0], f.Signals[1]
	Expect(kill.Signal).To(Equal("SIGKILL"))
	Expect(*kill.ExitCode).To(Equal(int32(137)))
	Expect(kill.Reason).To(Equal("Error"))
	Expect(kill.Restarted).To(BeTrue())
	Expect(kill.BackOff).To(BeEmpty(), "the first exit restarts at once")
	Expect(term.Signal).To(Equal("SIGTERM"))
	Expect(*term.ExitCode).To(Equal(int32(0)))
	Expect(term.Reason).To(Equal("Completed"))
	Expect(term.IgnoredSigterm).To(BeFalse())
	Expect(term.Restarted).To(BeTrue())
	Expect(term.BackOff).To(Equal("back-off 10s"))
	Expect(*term.RestartSeconds).To(BeNumerically(">=", 10-apiResolution.Seconds()))
	Expect(f.Mismatch).To(BeEmpty())
}

// ownReport is the part of check's JSON report (schema
// probedrill.dev/check/v1, docs/check.md) the specs read.
type ownReport struct {
	Nodes    string
	Schema   string
	Changed  []string
	Ignored  []string
	Workload struct{ Kind, Name string }
	Budget   struct{ Seconds float64 }
	Faults   []ownFault
}

type ownFault struct {
	Fault, Result, Advice, Observed, Skipped, Namespace string
	NeedMaxSeconds                                      *float64
	Mismatch                                            []string
	Starts                                              []struct {
		NeedSeconds, ReadySeconds *float64
		Killed                    bool
		ExitCode                  *int32
		Killing                   []string
	}
	Signals []struct {
		Signal, Reason, BackOff string
		ExitCode                *int32
		IgnoredSigterm          bool
		Restarted               bool
		RestartSeconds          *float64
	}
	Injected *struct {
		Did, Undoes, Reason                          string
		LivenessFailures, ReadinessFailures          int
		KillingSeconds, EndedSeconds, RestartSeconds *float64
		LastedSeconds                                *float64
		ExitCode                                     *int32
	}
}

// expectNamespacesGone: every fault ran in a namespace of its own, and
// each is deleted once the check ends.
func expectNamespacesGone(ctx SpecContext, r ownReport) {
	for _, f := range r.Faults {
		if f.Skipped == "" {
			By(f.Fault + ": deleting namespace " + f.Namespace)
			Expect(f.Namespace).To(HavePrefix("pd-check-"))
			expectNamespaceGone(ctx, f.Namespace)
		}
	}
}

// checkOwn runs `probedrill check FILE -o json` (or `check - < FILE`).
func checkOwn(ctx SpecContext, file string, stdin bool, args ...string) (ownReport, error) {
	var stdout, log bytes.Buffer
	streams := cmd.IOStreams{Out: &stdout, ErrOut: &log}
	src := file
	if stdin {
		data, err := os.ReadFile(file)
		Expect(err).NotTo(HaveOccurred())
		streams.In, src = io.Reader(bytes.NewReader(data)), "-"
	}
	err := app.RunContext(ctx, cli.NewLogger(&log, 0), streams, append([]string{"check", src, "-o", "json", "--context", cluster.Context}, args...))
	AddReportEntry("probedrill check "+file, log.String()+stdout.String())
	var r ownReport
	Expect(json.Unmarshal(stdout.Bytes(), &r)).To(Succeed(), "%v\n%s", err, log.String())
	Expect(r.Schema).To(Equal("probedrill.dev/check/v1"))
	if stdin {
		Expect(r.Ignored).To(ContainElement("Service/web (stdin)"))
	}
	return r, err
}
