package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/internal/target"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/scenarios"
)

// fakeCluster is a clientset that, like the API server, names namespaces
// from generateName and stamps creation times. No kubelet runs: the pod
// never starts, which is all the driver's own logic needs.
func fakeCluster() *fake.Clientset {
	cs := fake.NewClientset()
	cs.PrependReactor("create", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		o := a.(k8stesting.CreateAction).GetObject().(metav1.Object)
		if o.GetName() == "" {
			o.SetName(o.GetGenerateName() + "x7k2p")
		}
		o.SetCreationTimestamp(metav1.Now())
		return false, nil, nil
	})
	return cs
}

func startPlan(t *testing.T) *drill.Plan {
	t.Helper()
	s, err := scenarios.Get("classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := drill.Prepare(s, drill.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// namespaces lists what the demo left behind.
func namespaces(t *testing.T, cs *fake.Clientset) []corev1.Namespace {
	t.Helper()
	list, err := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func runDemo(ctx context.Context, t *testing.T, cs *fake.Clientset, flags *flagpole) (string, error) {
	var out, log bytes.Buffer
	r := runner{logger: cli.NewLogger(&log, 0), streams: cmd.IOStreams{Out: &out, ErrOut: &log}, flags: flags, plain: true}
	err := r.run(ctx, startPlan(t), &target.Target{Clientset: cs})
	return out.String(), err
}

// TestForEndsTheWatchAndCleansUp: --for shorter than the drill ends it
// early, undecided rather than failed, and the namespace is deleted.
func TestForEndsTheWatchAndCleansUp(t *testing.T) {
	cs := fakeCluster()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := runDemo(ctx, t, cs, &flagpole{For: time.Second})
	if err != nil {
		t.Fatalf("a demo stopped by --for is not an error: %v\n%s", err, out)
	}
	for _, want := range []string{"Predicted timeline", "stopped at", "kubectl -n pd-classroom-fast-x7k2p logs classroom-fast --previous", "Namespace pd-classroom-fast-x7k2p deleted"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if ns := namespaces(t, cs); len(ns) != 0 {
		t.Errorf("namespace %s left behind", ns[0].Name)
	}
}

// TestInterruptCleansUp: Ctrl-C cancels the command's context; the
// namespace is deleted anyway, and the demo says so.
func TestInterruptCleansUp(t *testing.T) {
	cs := fakeCluster()
	ctx, cancel := context.WithCancel(context.Background())
	cs.PrependReactor("create", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		time.AfterFunc(200*time.Millisecond, cancel) // Ctrl-C once the pod exists
		return false, nil, nil
	})
	out, err := runDemo(ctx, t, cs, &flagpole{})
	if err != nil {
		t.Fatalf("an interrupted demo is not an error: %v", err)
	}
	if !strings.Contains(out, "deleted") || len(namespaces(t, cs)) != 0 {
		t.Errorf("the namespace must be deleted after Ctrl-C:\n%s", out)
	}
}

// TestKeepLeavesTheNamespace: --keep leaves it, and says how to remove it.
func TestKeepLeavesTheNamespace(t *testing.T) {
	cs := fakeCluster()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := runDemo(ctx, t, cs, &flagpole{For: time.Second, Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(namespaces(t, cs)) != 1 || !strings.Contains(out, "kubectl delete namespace pd-classroom-fast-x7k2p") {
		t.Errorf("--keep must keep the namespace and say how to delete it:\n%s", out)
	}
}
