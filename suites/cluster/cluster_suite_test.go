//go:build e2e

// Package cluster_test checks, on the real probedrill cluster, what `probedrill
// up` promises: Ready nodes and answering DNS, the faultyapp image on every
// node, settings recorded and really in force in the kubelets and the control
// plane, and a Guard that accepts this cluster and refuses others.
//
// Run after `make up` (any profile): go test ./suites/cluster/...
package cluster_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/cluster"
)

// readyTimeout bounds the suite's own wait for Ready nodes and DNS.
const readyTimeout = time.Minute

var (
	cl        *cluster.Cluster
	clientset *kubernetes.Clientset
)

func TestCluster(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "cluster")
}

var _ = BeforeSuite(func(ctx SpecContext) {
	var err error
	cl, err = cluster.NewProvider().Get(ctx)
	Expect(err).NotTo(HaveOccurred(), "the cluster must be up: make up")
	clientset, err = cl.Clientset()
	Expect(err).NotTo(HaveOccurred())
	By("waiting for Ready nodes and an answering DNS")
	Expect(cl.WaitReady(ctx, readyTimeout)).To(Succeed())
})
