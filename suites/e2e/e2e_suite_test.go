//go:build e2e

// Package e2e_test asserts, on the real probedrill kind cluster, that every
// scenario of the catalog does what its expectations and the predictor say:
// restart counts, back-off gaps, exit codes and reasons, the kubelet's exact
// event messages, new container IDs, `logs --previous`. One spec per
// scenario, generated from the catalog, each in its own namespace, grouped by
// concern (concerns_test.go). Run with `make e2e`.
package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
)

// readyTimeout bounds the suite's wait for Ready nodes and DNS.
const readyTimeout = 2 * time.Minute

// What every process of the suite shares: set once in SynchronizedBeforeSuite.
var (
	clientset kubernetes.Interface
	settings  cluster.Settings
	kubelet   predict.Kubelet
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "probedrill e2e")
}

// e2eCalibration is the latencies the suites predict with (--calibration
// of the CLI specs, kubelet for the drills): the suites' own history,
// e2eHistory, and, when make e2e measured one before the suites
// (freshCalibrationEnv), their union (calibration.File.Union), which
// SynchronizedBeforeSuite writes beside the start slots. Not the quiet
// cluster's that `probedrill calibrate` stores, nor the shipped default.
var e2eCalibration = e2eHistory

// e2eHistory was measured on this suite's own runs (11 fresh-clone CI
// runs, make e2e's drills at once; go run ./suites/measure
// -write-calibration). Offline, the 286 drills of those runs judged
// against their up-front and conditioned windows under it all pass
// (suites/README.md, "Calibration").
var e2eHistory = func() string {
	path, err := filepath.Abs("testdata/e2e-calibration.json")
	if err != nil {
		panic(err)
	}
	return path
}()

// freshCalibrationEnv names the calibration make e2e measures before the
// suites (probedrill calibrate --runs 16: this machine's load now).
const freshCalibrationEnv = "PROBEDRILL_E2E_CALIBRATION"

// unionPath is where process 1 writes the union, in the shared dir.
func unionPath(dir string) string { return filepath.Join(dir, "calibration.json") }

// writeUnion writes the union of the history and the fresh calibration to
// dir, if make e2e measured one.
func writeUnion(dir string) {
	fresh := os.Getenv(freshCalibrationEnv)
	if fresh == "" {
		return
	}
	history, err := calibration.Load(e2eHistory)
	Expect(err).NotTo(HaveOccurred())
	now, err := calibration.Load(fresh)
	Expect(err).NotTo(HaveOccurred(), "%s", freshCalibrationEnv)
	u := history.Union(now)
	Expect(u.Save(unionPath(dir))).To(Succeed())
	var b strings.Builder
	Expect(u.WriteSpans(&b)).To(Succeed())
	fmt.Fprintf(GinkgoWriter, "Predicting with the union of %s and %s:\n%s", e2eHistory, fresh, b.String())
}

var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	c := connect(ctx)
	By("waiting for Ready nodes and an answering DNS")
	Expect(c.WaitReady(ctx, readyTimeout)).To(Succeed())
	By("removing namespaces left by drills that died")
	removeDrillNamespaces(ctx, clientsetOf(c))
	dir := newSlotDir()
	writeUnion(dir)
	return []byte(dir)
}, func(ctx SpecContext, dir []byte) {
	c := connect(ctx)
	clientset, settings = clientsetOf(c), c.Settings
	slotDir = string(dir)
	if os.Getenv(freshCalibrationEnv) != "" {
		e2eCalibration = unionPath(slotDir)
	}
	loaded, err := calibration.Load(e2eCalibration)
	Expect(err).NotTo(HaveOccurred())
	kubelet = loaded.Kubelet(predict.Kubelet{MaxContainerRestartPeriod: settings.MaxContainerRestartPeriod})
})

// connect finds the probedrill cluster; the suite refuses to run anywhere else.
func connect(ctx SpecContext) *cluster.Cluster {
	c, err := cluster.NewProvider().Get(ctx)
	Expect(err).NotTo(HaveOccurred(), "the e2e suites run on the probedrill kind cluster: make up (or make e2e)")
	Expect(cluster.Guard("", cluster.Context, false)).To(Succeed())
	return c
}

func clientsetOf(c *cluster.Cluster) kubernetes.Interface {
	cs, err := c.Clientset()
	Expect(err).NotTo(HaveOccurred())
	return cs
}

// staleAfter: no drill runs this long, so an older drill namespace was left
// by a run that died. Younger ones may belong to a demo running right now.
const staleAfter = time.Hour

func removeDrillNamespaces(ctx SpecContext, cs kubernetes.Interface) {
	list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: drill.LabelDrill})
	Expect(err).NotTo(HaveOccurred())
	for _, ns := range list.Items {
		if ns.Status.Phase != corev1.NamespaceTerminating && time.Since(ns.CreationTimestamp.Time) > staleAfter {
			Expect(cs.CoreV1().Namespaces().Delete(ctx, ns.Name, metav1.DeleteOptions{})).To(Succeed())
		}
	}
}
