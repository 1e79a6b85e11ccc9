//go:build e2e

package cluster_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/probedrill/probedrill/internal/cluster"
)

var _ = Describe("probedrill up", Label("cluster"), func() {
	It("records the settings the cluster was made with", func(ctx SpecContext) {
		s, err := cluster.ReadSettings(ctx, clientset)
		Expect(err).NotTo(HaveOccurred())
		Expect(s).To(Equal(cl.Settings))
		Expect(s.KubernetesVersion).To(Equal(cluster.KubernetesVersion))
	})

	It("runs every kubelet with the recorded crash-loop back-off cap", func(ctx SpecContext) {
		for _, n := range nodes(ctx) {
			body, err := clientset.CoreV1().RESTClient().Get().Resource("nodes").Name(n.Name).
				SubResource("proxy").Suffix("configz").DoRaw(ctx)
			Expect(err).NotTo(HaveOccurred())
			var z struct {
				KubeletConfig struct {
					CrashLoopBackOff struct {
						MaxContainerRestartPeriod string `json:"maxContainerRestartPeriod"`
					} `json:"crashLoopBackOff"`
				} `json:"kubeletconfig"`
			}
			Expect(json.Unmarshal(body, &z)).To(Succeed())
			got := z.KubeletConfig.CrashLoopBackOff.MaxContainerRestartPeriod
			if got == "" {
				got = "5m0s" // the kubelet's default, pkg/kubelet/kubelet.go MaxContainerBackOff
			}
			Expect(got).To(Equal(cl.Settings.MaxContainerRestartPeriod.String()), "node %s", n.Name)
		}
	})

	It("has as many Ready nodes as its profile says, each with the faultyapp image", func(ctx SpecContext) {
		Expect(nodes(ctx)).To(HaveLen(cl.Settings.Nodes))
		// A node's status lists the images its kubelet last cached (the
		// image manager refreshes its list every 30 s, the status follows
		// at its next update): right after `up` loads the image, a node
		// may not list it yet.
		Eventually(func(g Gomega) {
			for _, n := range nodes(ctx) {
				g.Expect(imageNames(n)).To(ContainElement("docker.io/"+cluster.FaultyAppImage), "node %s", n.Name)
			}
		}).WithContext(ctx).WithTimeout(imageListTimeout).WithPolling(2 * time.Second).Should(Succeed())
	})

	It("runs the control plane with the recorded node-failure timing", func(ctx SpecContext) {
		s := cl.Settings
		api := command(ctx, "kube-apiserver")
		cm := command(ctx, "kube-controller-manager")
		// kind's own arguments survive the kubeadm patches.
		Expect(api).To(ContainElement("--runtime-config="))
		Expect(cm).To(ContainElement("--enable-hostpath-provisioner=true"))
		if !s.FastNodeFailure {
			Expect(strings.Join(api, " ")).NotTo(ContainSubstring("toleration-seconds"))
			Expect(strings.Join(cm, " ")).NotTo(ContainSubstring("node-monitor-grace-period"))
			return
		}
		Expect(api).To(ContainElements(
			"--default-not-ready-toleration-seconds="+strconv.FormatInt(s.NotReadyTolerationSeconds, 10),
			"--default-unreachable-toleration-seconds="+strconv.FormatInt(s.UnreachableTolerationSeconds, 10),
		))
		Expect(cm).To(ContainElement("--node-monitor-grace-period=" + cluster.FormatDuration(s.NodeMonitorGracePeriod)))
	})

	It("leaves a kube context that Guard accepts, and Guard refuses others", func() {
		Expect(cluster.Guard("", cluster.Context, false)).To(Succeed())
		foreign := filepath.Join(GinkgoT().TempDir(), "config")
		Expect(os.WriteFile(foreign, []byte(foreignKubeconfig), 0o600)).To(Succeed())
		Expect(cluster.Guard(foreign, "", false)).To(MatchError(ContainSubstring(`refusing kube context "prod"`)))
		Expect(cluster.Guard(foreign, "", true)).To(Succeed())
	})
})

// imageListTimeout bounds the wait for every node's status to list the
// faultyapp image: the kubelet's 30-s image list refresh and a status
// update, with margin.
const imageListTimeout = 90 * time.Second

const foreignKubeconfig = `apiVersion: v1
kind: Config
current-context: prod
clusters: [{name: prod, cluster: {server: "https://10.0.0.1:6443"}}]
contexts: [{name: prod, context: {cluster: prod, user: prod}}]
users: [{name: prod, user: {token: x}}]
`

func nodes(ctx SpecContext) []corev1.Node {
	list, err := clientset.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	Expect(err).NotTo(HaveOccurred())
	return list.Items
}

func imageNames(n corev1.Node) []string {
	var names []string
	for _, img := range n.Status.Images {
		names = append(names, img.Names...)
	}
	return names
}

// command returns the command line of a control-plane static pod.
func command(ctx SpecContext, component string) []string {
	pods, err := clientset.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "component=" + component})
	Expect(err).NotTo(HaveOccurred())
	Expect(pods.Items).NotTo(BeEmpty(), "no %s pod", component)
	return pods.Items[0].Spec.Containers[0].Command
}
