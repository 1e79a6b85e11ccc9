//go:build e2e

package e2e_test

import (
	"bytes"
	"encoding/json"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/probecheck"
)

// `probedrill check` end to end, in-process: the seed's bare probe against
// two faults on the real cluster. It catches the broken app (fail-after)
// and kills the healthy but slow one (slow-start): exit 1, and each first
// restart comes when predicted (from the observed container start when the
// cluster was slow to start it), give or take busyNode. Restart counts are
// not compared: on a busy node later restarts wait for CPU.
var _ = Describe("probedrill check", Label("cli"), func() {
	const file = "../../examples/check/seed-probe.yaml"
	faults := []string{"fail-after", "slow-start"}

	It("catches fail-after, kills a slow start, exits 1 and cleans up", func(ctx SpecContext) {
		var stdout, log bytes.Buffer
		streams := cmd.IOStreams{Out: &stdout, ErrOut: &log}
		args := []string{"check", file, "--stand-in", "--faults", "fail-after,slow-start", "-o", "json", "--context", cluster.Context, "--calibration", e2eCalibration}
		err := app.RunContext(ctx, cli.NewLogger(&log, 0), streams, args)
		AddReportEntry("probedrill check output", log.String()+stdout.String())

		By("exiting 1, naming the false restart")
		Expect(err).To(MatchError(ContainSubstring("slow-start (killed a healthy app)")))
		Expect(app.ExitCode(err)).To(Equal(app.ExitFailure))

		var report checkReport
		Expect(json.Unmarshal(stdout.Bytes(), &report)).To(Succeed(), stdout.String())
		Expect(report.DryRun).To(BeFalse())
		Expect(report.Faults).To(HaveLen(2))
		failAfter, slow := report.Faults[0], report.Faults[1]

		By("catching fail-after with a liveness kill, when predicted")
		Expect(failAfter.Result).To(Equal("pass"))
		Expect(failAfter.Observed.Restarts).To(BeNumerically(">=", 1))
		Expect(failAfter.Observed.KilledBy).To(Equal("liveness"))

		By("counting the slow start's restarts as false restarts")
		Expect(slow.Result).To(Equal("fail"))
		Expect(slow.Observed.Restarts).To(BeNumerically(">=", 1))
		Expect(report.FalseRestarts).To(Equal(slow.Observed.Restarts))
		Expect(slow.Advice).To(ContainSubstring("startupProbe"))

		for _, f := range report.Faults {
			By(f.Fault + ": the first restart came inside its predicted window")
			p := f.Predicted
			Expect(f.Observed.FirstRestart).To(BeNumerically(">=", p.FirstRestartEarliest-apiResolution.Seconds()), f.Mismatch)
			Expect(f.Observed.FirstRestart).To(BeNumerically("<=", p.FirstRestartLatest+apiResolution.Seconds()+busyNode.Seconds()), f.Mismatch)
			By("deleting namespace " + f.Namespace)
			ns, err := clientset.CoreV1().Namespaces().Get(ctx, f.Namespace, metav1.GetOptions{})
			if err == nil {
				Expect(ns.Status.Phase).To(Equal(corev1.NamespaceTerminating))
			} else {
				Expect(apierrors.IsNotFound(err)).To(BeTrue(), "%v", err)
			}
		}
	}, SpecTimeout(checkTimeout(file, faults)))
})

// checkReport is the part of check's JSON report the spec reads.
type checkReport struct {
	DryRun        bool `json:"dryRun"`
	FalseRestarts int  `json:"falseRestarts"`
	Faults        []struct {
		Fault     string `json:"fault"`
		Result    string `json:"result"`
		Namespace string `json:"namespace"`
		Advice    string `json:"advice"`
		Mismatch  string `json:"mismatch"`
		Observed  struct {
			Restarts     int     `json:"restarts"`
			KilledBy     string  `json:"killedBy"`
			FirstRestart float64 `json:"firstRestartSeconds"`
		} `json:"observed"`
		Predicted struct {
			FirstRestartEarliest float64 `json:"firstRestartEarliestSeconds"`
			FirstRestartLatest   float64 `json:"firstRestartLatestSeconds"`
		} `json:"predicted"`
	} `json:"faults"`
}

const (
	// apiResolution: observed offsets come from one-second API timestamps.
	apiResolution = time.Second
	// busyNode is how late a restart may come when the suite's parallel
	// specs load the node: one period of the seed's probe. On a two-CPU
	// machine running every suite at once, probes, kills and restarts were
	// measured 3-5 s late.
	busyNode = 10 * time.Second
)

// checkTimeout is check's own watch window (from a dry preparation while
// the tree is built) plus the suite's slack for start and teardown.
func checkTimeout(file string, faults []string) time.Duration {
	in, err := probecheck.ReadFile(file, "")
	if err != nil {
		panic(err)
	}
	o := probecheck.DefaultOptions()
	o.Faults, o.Kubelet = faults, predict.DefaultKubelet()
	k, err := probecheck.Prepare(in, o)
	if err != nil {
		panic(err)
	}
	return k.Window + startupSlack + teardownSlack
}
