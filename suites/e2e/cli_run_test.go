//go:build e2e

package e2e_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/scenarios"
)

// `probedrill run` end to end, in-process: the same command line a teacher
// types, on the real cluster, judged by the files it writes.
var _ = Describe("probedrill run", Label("cli"), func() {
	const name = "classroom-fast"

	It("drills "+name+", passes, and writes run.json and junit.xml", func(ctx SpecContext) {
		dir := GinkgoT().TempDir()
		var stdout, log bytes.Buffer
		streams := cmd.IOStreams{Out: &stdout, ErrOut: &log}
		err := app.RunContext(ctx, cli.NewLogger(&log, 0), streams, []string{"run", name, "--output-dir", dir, "--context", cluster.Context, "--calibration", e2eCalibration})
		AddReportEntry("probedrill run output", log.String()+stdout.String())
		Expect(err).NotTo(HaveOccurred())
		Expect(stdout.String()).To(ContainSubstring("1 of 1 scenarios passed"))

		run, err := report.ReadFile(filepath.Join(dir, "run.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Scenarios).To(HaveLen(1))
		s := run.Scenarios[0]
		Expect(s.Name).To(Equal(name))
		Expect(s.Passed).To(BeTrue(), "findings %v\n%s", s.Findings, s.Comparison)
		Expect(s.Observed.Entries).NotTo(BeEmpty())
		Expect(s.Namespace).NotTo(BeEmpty())
		Expect(run.Cluster.KubernetesVersion).NotTo(BeEmpty())

		data, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
		Expect(err).NotTo(HaveOccurred())
		var suites struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
		}
		Expect(xml.Unmarshal(data, &suites)).To(Succeed())
		Expect(suites.Tests).To(Equal(1))
		Expect(suites.Failures + suites.Errors).To(BeZero())
	}, SpecTimeout(specTimeout(mustGet(name))))
})

func mustGet(name string) *scenarios.Scenario {
	s, err := scenarios.Get(name)
	if err != nil {
		panic(err)
	}
	return s
}
