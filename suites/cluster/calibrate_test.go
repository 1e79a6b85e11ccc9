//go:build e2e

package cluster_test

import (
	"bytes"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/cmd/probedrill/calibrate"
	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
)

// calibrate runs here, on the cluster the rest of this suite leaves quiet,
// into a file: the calibration stored for the user stays theirs.
var _ = Describe("probedrill calibrate", Label("cluster"), func() {
	It("measures every latency the model reads and leaves no namespace", func(ctx SpecContext) {
		file := filepath.Join(GinkgoT().TempDir(), "calibration.json")
		var out, log bytes.Buffer
		err := app.RunContext(ctx, cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &log},
			[]string{"calibrate", "--context", cluster.Context, "--output-file", file})
		Expect(err).NotTo(HaveOccurred(), "%s\n%s", out.String(), log.String())

		f, err := calibration.Load(file)
		Expect(err).NotTo(HaveOccurred())
		Expect(f.Thin()).To(BeEmpty(), "latencies with too few samples")
		By("finding the kind node's latencies in seconds, not the envelope's tens of seconds")
		for l, max := range map[calibration.Latency]float64{
			calibration.FirstStart: 10, calibration.Restart: 5, calibration.Exit: 3, calibration.Kill: 5,
		} {
			Expect(f.Latencies[l].MaxSeconds).To(BeNumerically("<=", max), "%s: %+v", l, f.Latencies[l])
		}
		Expect(f.Latencies[calibration.FirstStart].N).To(Equal(calibrate.DefaultRuns))
		By("reading the probe workers' lead from each copy's first container log")
		// One lead per copy, or two where the period and the pod's
		// creation second both allow (calibration.Leads); never more than
		// the copy's first start, which the API shows truncated to the
		// second (+1 s), as faultyapp's first log line does a little after
		// it (+0.5 s, generously).
		lead, first := f.Latencies[calibration.WorkerLead], f.Latencies[calibration.FirstStart]
		Expect(lead.N).To(BeNumerically(">=", calibrate.DefaultRuns), "%+v", lead)
		Expect(lead.MaxSeconds).To(BeNumerically("<=", first.MaxSeconds+1.5), "lead %+v, first start %+v", lead, first)
		Expect(out.String()).To(MatchRegexp(`workerLead\s+\d+\s+.*not read by the model`))
		Expect(out.String()).To(ContainSubstring("Stored in " + file))
		Expect(out.String()).To(MatchRegexp(`first Killing: \+16s…\+\S+ with the default calibration, \+1\ds…\+\S+ with this one`))

		By("deleting every copy's namespace")
		Eventually(ctx, func(ctx SpecContext) int {
			nss, err := clientset.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: drill.LabelDrill + "=" + calibrate.Scenario})
			Expect(err).NotTo(HaveOccurred())
			return len(nss.Items)
		}).WithTimeout(time.Minute).WithPolling(2 * time.Second).Should(BeZero())
	}, SpecTimeout(4*time.Minute))
})
