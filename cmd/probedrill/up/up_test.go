package up

import (
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cluster"
)

func TestSummary(t *testing.T) {
	single := cluster.Settings{Profile: cluster.Single, KubernetesVersion: "v1.37.2", Nodes: 1, MaxContainerRestartPeriod: 300 * time.Second}
	multi := cluster.Settings{Profile: cluster.Multi, KubernetesVersion: "v1.37.2", Nodes: 3, MaxContainerRestartPeriod: 30 * time.Second,
		FastNodeFailure: true, NodeMonitorGracePeriod: 20 * time.Second}
	for s, want := range map[*cluster.Settings]string{
		&single: "Cluster probedrill is ready: single, v1.37.2, 1 node, crash-loop back-off capped at 300s.\n",
		&multi:  "Cluster probedrill is ready: multi, v1.37.2, 3 nodes, crash-loop back-off capped at 30s, lost nodes detected after 20s.\n",
	} {
		got := Summary(*s)
		if !strings.HasPrefix(got, want) || !strings.Contains(got, "kubectl get nodes") {
			t.Errorf("got %q, want %q…", got, want)
		}
	}
}

func TestOnlyGivenFlagsBecomeOptions(t *testing.T) {
	base := len(mustOptions(t))
	for _, args := range [][]string{
		{"--profile", "multi"},
		{"--max-restart-period", "30s"},
		{"--fast-node-failure=false"},
	} {
		if got := len(mustOptions(t, args...)); got != base+1 {
			t.Errorf("%q: %d options, want %d", args, got, base+1)
		}
	}
}

func mustOptions(t *testing.T, args ...string) []cluster.Option {
	t.Helper()
	c, flags := newCommand(log.NoopLogger{}, cmd.IOStreams{})
	if err := c.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	opts, err := options(c, flags)
	if err != nil {
		t.Fatal(err)
	}
	return opts
}
