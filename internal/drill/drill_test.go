package drill

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func seed(t *testing.T) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Get("seed-http-500")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPrepareDeadlineCoversEveryExpectation(t *testing.T) {
	p, err := Prepare(seed(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	within := p.Scenario.Expect.Restarts.Within.Duration
	if p.Deadline < within+settleMargin {
		t.Errorf("deadline %v is shorter than restarts.within %v plus the settle margin", p.Deadline, within)
	}
	// lastTermination and previousLogs need the first restart: the deadline
	// must not end before the prediction says it may happen.
	restart, err := p.Prediction.RestartBy(1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Deadline < restart {
		t.Errorf("deadline %v ends before restart 1 is due (%v)", p.Deadline, restart)
	}
	for _, e := range p.Predicted().Entries {
		if e.At > p.Deadline {
			t.Errorf("Predicted() keeps %v, due after the deadline %v", e, p.Deadline)
		}
	}
}

// TestPrepareDeadlineAllowsALateFirstStart: "no restarts for 60s" counts
// from the first container's start, so the plan's deadline (the most a drill
// watches) must hold it even when that start is as late as the model allows
// (a healthy drill once ended at 70 s while it needed 74 s).
func TestPrepareDeadlineAllowsALateFirstStart(t *testing.T) {
	s, err := scenarios.Get("healthy-never-restarted")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := p.Prediction.Timeline.Of(timeline.Started)[0]
	if need := first.Latest + s.Expect.NoRestartsFor.Duration; p.Deadline < need {
		t.Errorf("deadline %v: a first start at %v needs %v", p.Deadline, first.Latest, need)
	}
}

// A calibration narrows the windows, not the watch: the plan's deadline is
// the envelope's, so a run slower than calibrated is still seen to its end.
func TestPrepareDeadlineIsTheEnvelopes(t *testing.T) {
	s, err := scenarios.Get("classroom-fast")
	if err != nil {
		t.Fatal(err)
	}
	narrow := predict.Kubelet{FirstStart: predict.Span{Nominal: time.Second, Max: 2 * time.Second},
		RestartLatency: predict.Span{Nominal: time.Second, Max: 2 * time.Second}}
	calibrated, err := Prepare(s, Options{Kubelet: narrow})
	if err != nil {
		t.Fatal(err)
	}
	envelope, err := Prepare(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if calibrated.Deadline != envelope.Deadline {
		t.Errorf("deadline %v under a calibration, %v under the envelope; want the same", calibrated.Deadline, envelope.Deadline)
	}
	first := func(p *Plan) timeline.Entry { return p.Prediction.Timeline.Of(timeline.Started)[0] }
	if c, e := first(calibrated), first(envelope); c.Latest >= e.Latest {
		t.Errorf("first start window %v under the calibration, %v under the envelope; want it narrower", c.Latest, e.Latest)
	}
}

func TestPrepareRejectsInvalidScenarioWithoutACluster(t *testing.T) {
	s := seed(t)
	s.Pod.LivenessProbe.HTTPGet = nil // a probe without a handler
	if _, err := Prepare(s, Options{}); err == nil || !strings.Contains(err.Error(), "livenessProbe") {
		t.Fatalf("Prepare of a probe without handler: err = %v, want one naming livenessProbe", err)
	}
}

// generateNames makes the fake clientset honour metadata.generateName, as the
// API server does.
func generateNames(cs *fake.Clientset) {
	cs.PrependReactor("create", "namespaces", func(a k8stesting.Action) (bool, runtime.Object, error) {
		ns := a.(k8stesting.CreateAction).GetObject().(*corev1.Namespace)
		if ns.Name == "" {
			ns.Name = ns.GenerateName + "abcde"
		}
		return false, nil, nil
	})
}

func TestStartCreatesTheScenarioInARestrictedNamespace(t *testing.T) {
	cs := fake.NewClientset()
	generateNames(cs)
	p, err := Prepare(seed(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := p.Start(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Cleanup(ctx)
	ns, err := cs.CoreV1().Namespaces().Get(ctx, d.Namespace, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ns.Labels[LabelDrill] != "seed-http-500" || ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Errorf("namespace labels %v: want the drill label and Pod Security restricted", ns.Labels)
	}
	pod, err := cs.CoreV1().Pods(d.Namespace).Get(ctx, "test2-liveness", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the seed's pod was not created: %v", err)
	}
	if pod.Spec.Containers[0].LivenessProbe.HTTPGet.Path != "/" {
		t.Errorf("pod's liveness probe %+v is not the seed's", pod.Spec.Containers[0].LivenessProbe)
	}
}

func TestFailedStartLeavesNoNamespace(t *testing.T) {
	cs := fake.NewClientset()
	generateNames(cs)
	cs.PrependReactor("create", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("admission webhook said no")
	})
	p, err := Prepare(seed(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := p.Start(ctx, cs); err == nil || !strings.Contains(err.Error(), "admission webhook said no") {
		t.Fatalf("Start: err = %v, want the pod creation error", err)
	}
	list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 0 {
		t.Errorf("a failed start left namespace %s behind", list.Items[0].Name)
	}
}

func TestPreferNodeIsAPreferenceNotARequirement(t *testing.T) {
	s, err := scenarios.Get("seed-deployment-node-failure")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(s, Options{PreferNode: "probedrill-worker"})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := p.objects("ns")
	if err != nil {
		t.Fatal(err)
	}
	spec := podSpecOf(objs[0])
	if spec == nil {
		t.Fatalf("first object %T has no pod template", objs[0])
	}
	na := spec.Affinity.NodeAffinity
	if na.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		t.Errorf("required node affinity would keep a replacement off the other nodes")
	}
	got := na.PreferredDuringSchedulingIgnoredDuringExecution[0].Preference.MatchExpressions[0].Values
	if len(got) != 1 || got[0] != "probedrill-worker" {
		t.Errorf("preferred node %v, want probedrill-worker", got)
	}
}
