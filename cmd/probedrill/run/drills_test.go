package run

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/scenarios"
)

// Every drill's observer must be stopped when runAll returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testTimeout bounds a test that waits for drills on a fake clientset.
const testTimeout = 30 * time.Second

// fakeCluster is a fake clientset that names namespaces as the API server
// does (metadata.generateName) and reports each drill's pod as it is
// created: the drill's last step before it waits.
func fakeCluster() (*fake.Clientset, <-chan string) {
	cs := fake.NewClientset()
	created := make(chan string, 100)
	var mu sync.Mutex
	n := 0
	cs.PrependReactor("create", "namespaces", func(a k8stesting.Action) (bool, runtime.Object, error) {
		ns := a.(k8stesting.CreateAction).GetObject().(*corev1.Namespace)
		mu.Lock()
		defer mu.Unlock()
		n++
		ns.Name = ns.GenerateName + string(rune('a'+n))
		return false, nil, nil
	})
	cs.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		created <- a.GetNamespace()
		return false, nil, nil
	})
	return cs, created
}

func plans(t *testing.T, names ...string) []*drill.Plan {
	t.Helper()
	var out []*drill.Plan
	for _, name := range names {
		s, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := drill.Prepare(s, drill.Options{Kubelet: predict.DefaultKubelet()})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// Ctrl-C during a run: the running drills stop and delete their namespaces,
// the waiting ones never start, and no more than --parallel ran at once.
// On a fake clientset no pod ever runs, so drills wait until cancelled.
func TestInterruptedRunCleansUpAndRespectsParallel(t *testing.T) {
	cs, created := fakeCluster()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	var done []report.ScenarioResult
	var mu sync.Mutex
	r := drills{cs: cs, parallel: 2, done: func(res report.ScenarioResult) {
		mu.Lock()
		defer mu.Unlock()
		done = append(done, res)
	}}
	result := make(chan []outcome)
	go func() {
		result <- r.runAll(ctx, plans(t, "classroom-fast", "seed-http-500", "seed-exec", "seed-tcp-socket"))
	}()
	<-created
	<-created
	cancel() // Ctrl-C, with two drills running and two waiting for a slot
	out := <-result

	list, err := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 0 {
		t.Errorf("%d namespaces left after Ctrl-C, e.g. %s", len(list.Items), list.Items[0].Name)
	}
	if n := len(created); n != 0 {
		t.Errorf("%d more drills were started after Ctrl-C (parallel is 2)", n)
	}
	if len(out) != 4 || len(done) != 4 {
		t.Fatalf("%d outcomes and %d progress calls, want 4 of each", len(out), len(done))
	}
	errs := map[string]int{}
	for _, o := range out {
		if o.result.Passed || o.cleanupErr != nil {
			t.Errorf("%s: passed=%v cleanup=%v, want a failed drill cleaned up", o.result.Name, o.result.Passed, o.cleanupErr)
		}
		kind, _, _ := strings.Cut(o.result.Error, " after")
		errs[kind]++
	}
	if errs["interrupted"] != 2 || errs["not started: interrupted"] != 2 {
		t.Errorf("errors %v: want 2 drills interrupted and 2 not started", errs)
	}
}

func TestEstimatePacksLongestFirst(t *testing.T) {
	ps := plans(t, "classroom-fast", "seed-http-500", "seed-exec")
	longest := max(ps[0].Deadline, ps[1].Deadline, ps[2].Deadline)
	if got := estimate(ps, 8, 0); got != longest {
		t.Errorf("with a slot each, the run takes the longest drill: %v, want %v", got, longest)
	}
	sum := ps[0].Deadline + ps[1].Deadline + ps[2].Deadline
	if got := estimate(ps, 1, time.Hour); got != sum {
		t.Errorf("one at a time (no gap between slots: there is one slot), the run takes them all: %v, want %v", got, sum)
	}
	if got := longestFirst(ps); ps[got[0]].Scenario.Name != "seed-http-500" {
		t.Errorf("longest first starts with %s", ps[got[0]].Scenario.Name)
	}
}
