package owncheck

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// configz is what the probedrill cluster's kubelet answered, cut to the
// fields the model reads.
const configz = `{"kubeletconfig":{"kind":"KubeletConfiguration","syncFrequency":"1m0s",
"crashLoopBackOff":{"maxContainerRestartPeriod":"5m0s"},"port":10250}}`

func TestKubeletFactsFeedTheBackOff(t *testing.T) {
	k := Kubelet{Node: "probedrill-worker", Version: "v1.37.2"}
	if err := k.parseConfigz([]byte(configz)); err != nil {
		t.Fatal(err)
	}
	if k.SyncFrequency != time.Minute || k.MaxRestartPeriod != 5*time.Minute {
		t.Fatalf("parsed %+v", k)
	}
	for _, c := range []struct {
		name          string
		gates         map[string]bool
		max           time.Duration
		initial, capd time.Duration
	}{
		{"defaults", nil, 0, 10 * time.Second, 300 * time.Second},
		{"a lower cap", nil, 30 * time.Second, 10 * time.Second, 30 * time.Second},
		{"a cap under the initial delay", nil, 5 * time.Second, 5 * time.Second, 5 * time.Second},
		{"the cap's gate off", map[string]bool{"KubeletCrashLoopBackOffMax": false}, 30 * time.Second, 10 * time.Second, 300 * time.Second},
		{"reduced decay", map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}, 0, time.Second, 60 * time.Second},
	} {
		k := Kubelet{Version: "v1.37.2", FeatureGates: c.gates, MaxRestartPeriod: c.max}
		if i, m := k.BackOff(); i != c.initial || m != c.capd {
			t.Errorf("%s: %s to %s, want %s to %s", c.name, i, m, c.initial, c.capd)
		}
	}
	if s := k.String(); s != "probedrill-worker v1.37.2: crash-loop back-off 10s doubling to 5m0s, sync every 1m0s" {
		t.Errorf("String() = %q", s)
	}
	k.Version = "v1.38.0"
	if !strings.Contains(k.String(), "WARNING: the model is written from kubelet v1.37, this one's numbers are a guess") {
		t.Errorf("an unknown version is not named: %q", k.String())
	}
}

// TestCrashPredictsTheNodesBackOff: a kubelet with ReduceDefault… holds
// 1 s, and the model says so instead of calling it a mismatch.
func TestCrashPredictsTheNodesBackOff(t *testing.T) {
	k, _ := slowApp(t, 3, []Start{{}})
	k.Options.Kubelets = []Kubelet{{Node: "w1", Version: "v1.37.2", FeatureGates: map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}}}
	term := Signalled{Signal: "TERM", Node: "w1", Ended: true, ExitCode: 143, Reason: "Error", Restarted: true, BackOff: "back-off 1s"}
	f := FaultResult{Crash: []Signalled{term}}
	k.judgeCrash(&f)
	if len(f.Mismatch) != 0 || !strings.HasSuffix(f.Predicted, "restarted after back-off 1s") {
		t.Errorf("predicted %q, mismatch %q", f.Predicted, f.Mismatch)
	}
}

// TestGoneCountsAKillInItsGracePeriod: PostgreSQL killed by its liveness
// probe at +2 s takes the 30 s grace period to end; the crash fault must
// not signal it as if it served (it did once, before this check).
func TestGoneCountsAKillInItsGracePeriod(t *testing.T) {
	start := time.Date(2026, 12, 7, 0, 50, 0, 0, time.UTC)
	s := seen{}
	s.inst(0).startedAt = start
	if gone(s, 0) {
		t.Fatal("a running container with no kill is not gone")
	}
	s.lastKill = start.Add(2 * time.Second)
	if !gone(s, 0) {
		t.Error("a container being killed is gone")
	}
	s.inst(1).startedAt = start.Add(33 * time.Second)
	if gone(s, 1) {
		t.Error("the next instance started after the kill: not gone")
	}
}

// TestFaultsSkippedWithoutTheNodes: on another cluster (no Node) and for
// an app that never answered its probe, crash and the injected faults say
// why they did not run, without a namespace (cs is nil).
func TestFaultsSkippedWithoutTheNodes(t *testing.T) {
	k, _ := slowApp(t, 3, []Start{{}})
	for _, fault := range Faults()[1:] {
		f, err := k.runFault(t.Context(), nil, fault, 0, false)
		if err != nil || !strings.HasPrefix(f.Skipped, "needs the node's container runtime") {
			t.Errorf("%s without the nodes: skipped %q, err %v", fault, f.Skipped, err)
		}
		k.Options.Node = noNode{}
		f, err = k.runFault(t.Context(), nil, fault, 0, true)
		if err != nil || f.Skipped != "the app never answered its probe, so it never serves: see cold-start" {
			t.Errorf("%s of a silent app: skipped %q, err %v", fault, f.Skipped, err)
		}
		if (&Result{Faults: []FaultResult{f}}).Failed() != nil {
			t.Errorf("skipped %s counted as failed", fault)
		}
		k.Options.Node = nil
	}
}

// noNode is a Node that is never reached: the tests that use it skip first.
type noNode struct{}

func (noNode) Signal(Where, string) error                     { return errNotReached }
func (noNode) Freeze(Where) (Injection, error)                { return Injection{}, errNotReached }
func (noNode) SqueezeCPU(Where, int) (Injection, error)       { return Injection{}, errNotReached }
func (noNode) BlockPort(Where, []int32) (Injection, error)    { return Injection{}, errNotReached }
func (noNode) CutEgress(Where, []Endpoint) (Injection, error) { return Injection{}, errNotReached }

var errNotReached = errors.New("not reached")

func TestDNSLabelFitsNamespacesAndLabelValues(t *testing.T) {
	for in, want := range map[string]string{
		"web":                     "web",
		"web.v2":                  "web-v2",
		"Web_API.":                "web-api",
		strings.Repeat("a", 70):   strings.Repeat("a", 40),
		strings.Repeat("ab-", 20): "ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-a",
	} {
		if got := dnsLabel(in, 40); got != want {
			t.Errorf("dnsLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
