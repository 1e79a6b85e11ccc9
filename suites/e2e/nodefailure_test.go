//go:build e2e

package e2e_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/scenarios"
)

// Node failure budgets: scheduling on a fresh node, and the node's return.
const (
	runningTimeout    = 90 * time.Second
	nodeReturnTimeout = 2 * time.Minute
	// evictionSlack covers what follows the toleration: the taint manager's
	// deletion, the ReplicaSet's new pod, scheduling and start.
	evictionSlack = time.Minute
)

// The seed's summary: the kubelet restarts containers, but when a node dies
// only the control plane can replace its pods, and it does so only for pods a
// controller owns. Serial: stopping a node would disturb the other drills.
var _ = Describe("node failure", Label("node-failure"), Serial, func() {
	It("loses a bare pod but recreates a Deployment's pod on the other node", func(ctx SpecContext) {
		workers := workerNodes(ctx)
		if len(workers) < 2 {
			Skip("needs two worker nodes: make up (the Makefile's multi profile) or probedrill up --profile multi")
		}
		victim := workers[0]
		bare := startDrillOn(ctx, "seed-bare-pod-node-failure", victim)
		deploy := startDrillOn(ctx, "seed-deployment-node-failure", victim)

		By("waiting for both pods to run on " + victim)
		for _, d := range []*drill.Drill{bare, deploy} {
			Eventually(ctx, nodeOfRunningPod(d)).WithTimeout(runningTimeout).Should(Equal(victim))
		}

		By("stopping node " + victim + " (docker stop, like pulling the plug)")
		provider := cluster.NewProvider()
		Expect(provider.StopNode(victim)).To(Succeed())
		DeferCleanup(func(ctx SpecContext) {
			Expect(provider.StartNode(victim)).To(Succeed())
			Eventually(ctx, nodeReady(victim)).WithTimeout(nodeReturnTimeout).Should(BeTrue())
		}, NodeTimeout(nodeReturnTimeout+30*time.Second))

		budget := settings.NodeMonitorGracePeriod + toleration(deploy.Scenario) + evictionSlack
		By("waiting for the node controller to mark " + victim + " NotReady")
		Eventually(ctx, nodeReady(victim)).WithTimeout(settings.NodeMonitorGracePeriod + evictionSlack).Should(BeFalse())

		By("waiting for the Deployment's replacement pod on another node")
		Eventually(ctx, func() []string { return runningNodes(ctx, deploy) }).WithTimeout(budget).
			Should(ContainElement(Not(Equal(victim))))

		By("checking the bare pod was evicted and nothing replaced it")
		Eventually(ctx, evicted(bare)).WithTimeout(budget).Should(BeTrue())
		Expect(podNames(ctx, bare)).To(HaveLen(1), "a bare pod has no controller to recreate it")

		for _, d := range []*drill.Drill{bare, deploy} {
			Expect(d.Findings(ctx, true)).To(AllPass(), "expectations of %s", d.Scenario.Name)
		}
	})
})

func startDrillOn(ctx SpecContext, name, node string) *drill.Drill {
	s, err := scenarios.Get(name)
	Expect(err).NotTo(HaveOccurred())
	// The envelope: the e2e reports the default calibration was measured
	// from hold no node-failure drill (their timelines are not kept).
	plan, err := drill.Prepare(s, drill.Options{Kubelet: kubelet.Envelope(), PreferNode: node})
	Expect(err).NotTo(HaveOccurred())
	d, err := plan.Start(ctx, clientset)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(d.Cleanup, NodeTimeout(teardownSlack))
	DeferOnFailure(func(ctx SpecContext) { dump(ctx, d) }, NodeTimeout(teardownSlack))
	return d
}

// toleration is how long the scenario's pod stays bound to an unreachable node.
func toleration(s *scenarios.Scenario) time.Duration {
	if s.Pod.UnreachableTolerationSeconds != nil {
		return time.Duration(*s.Pod.UnreachableTolerationSeconds) * time.Second
	}
	return time.Duration(settings.UnreachableTolerationSeconds) * time.Second
}

func workerNodes(ctx SpecContext) []string {
	list, err := clientset.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: "!node-role.kubernetes.io/control-plane"})
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, n := range list.Items {
		names = append(names, n.Name)
	}
	return names
}

func nodeReady(name string) func(ctx SpecContext) bool {
	return func(ctx SpecContext) bool {
		n, err := clientset.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		Expect(err).NotTo(HaveOccurred())
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady {
				return c.Status == corev1.ConditionTrue
			}
		}
		return false
	}
}

// nodeOfRunningPod is the node of the drill's newest pod once it runs.
func nodeOfRunningPod(d *drill.Drill) func() string {
	return func() string {
		p := d.Observer().Pod()
		if p == nil || p.Status.Phase != corev1.PodRunning {
			return ""
		}
		return p.Spec.NodeName
	}
}

func drillPods(ctx SpecContext, d *drill.Drill) []corev1.Pod {
	list, err := clientset.CoreV1().Pods(d.Namespace).List(ctx, metav1.ListOptions{})
	Expect(err).NotTo(HaveOccurred())
	return list.Items
}

func runningNodes(ctx SpecContext, d *drill.Drill) []string {
	var nodes []string
	for _, p := range drillPods(ctx, d) {
		if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
			nodes = append(nodes, p.Spec.NodeName)
		}
	}
	return nodes
}

func podNames(ctx SpecContext, d *drill.Drill) []string {
	var names []string
	for _, p := range drillPods(ctx, d) {
		names = append(names, p.Name)
	}
	return names
}

// evicted: the taint manager deleted the pod (it stays Terminating, because
// the kubelet that would confirm is gone with its node).
func evicted(d *drill.Drill) func() bool {
	return func() bool {
		p := d.Observer().Pod()
		return p == nil || p.DeletionTimestamp != nil
	}
}
