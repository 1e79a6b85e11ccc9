// Package drill runs one scenario on a cluster: the one driver shared by the
// Ginkgo suites and the CLI (demo, run, check). A Plan is everything that can
// be known without a cluster — the validated scenario, its rendered objects
// and the predicted timeline — so bad input fails before anything is created.
// A Drill is a Plan started in a fresh namespace and watched by an observer.
package drill

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/render"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/internal/verdict"
	"github.com/probedrill/probedrill/scenarios"
)

// settleMargin is added to the last predicted moment a drill waits for: the
// watch needs a second or two to deliver the final change.
const settleMargin = 10 * time.Second

// Options tune a Plan.
type Options struct {
	// Image is the faultyapp image (render.DefaultImage when empty).
	Image string
	// Kubelet holds the cluster's kubelet facts for the predictor.
	Kubelet predict.Kubelet
	// Lang is the language of the predicted entries' explanations.
	Lang predict.Lang
	// PreferNode asks the scheduler to place the pod on this node, without
	// forbidding others: node failure drills stop that node, and a
	// Deployment's replacement must still fit elsewhere.
	PreferNode string
}

// Plan is a scenario ready to run: validated, rendered and predicted.
type Plan struct {
	Scenario   *scenarios.Scenario
	Prediction *predict.Prediction
	// Deadline is how long after pod creation the drill may have to watch
	// before every expectation can be decided: the most, with every latency
	// at the largest the model allows. A running drill knows better
	// (Progress.Deadline).
	Deadline time.Duration
	opts     Options
}

// Prepare validates, renders (as a dry run) and predicts s. Nothing touches a
// cluster, so a bad scenario leaves nothing behind.
func Prepare(s *scenarios.Scenario, opts Options) (*Plan, error) {
	if _, err := render.Objects(s, render.Options{Image: opts.Image}); err != nil {
		return nil, fmt.Errorf("prepare drill %s: %w", s.Name, err)
	}
	p, err := predict.Predict(s, opts.Kubelet, predict.WithLang(opts.Lang))
	if err != nil {
		return nil, fmt.Errorf("prepare drill %s: %w", s.Name, err)
	}
	// The plan's deadline is the most a drill may need: its durations count
	// from a first container that starts as late as the model allows, and
	// its entries' latest times are the envelope's, whatever the
	// calibration: it only bounds the watch, which ends as soon as all is
	// decided, and a run slower than calibrated must still be watched to
	// its end to be judged (and kept as a replay).
	wide := p
	if env := opts.Kubelet.Envelope(); env != opts.Kubelet.WithDefaults() {
		if wide, err = predict.Predict(s, env); err != nil {
			return nil, fmt.Errorf("prepare drill %s: %w", s.Name, err)
		}
	}
	late := []time.Duration{latestFirstStart(wide)}
	return &Plan{Scenario: s, Prediction: p, Deadline: deadline(s, wide, timeline.Timeline{}, late), opts: opts}, nil
}

// latestFirstStart is how much later than its nominal moment the first
// container may start (0 if the prediction has no start).
func latestFirstStart(p *predict.Prediction) time.Duration {
	for _, e := range p.Timeline.Of(timeline.Started) {
		if e.Instance == 0 {
			return e.Latest - e.At
		}
	}
	return 0
}

// objects renders the scenario into namespace.
func (p *Plan) objects(namespace string) ([]runtime.Object, error) {
	objs, err := render.Objects(p.Scenario, render.Options{Image: p.opts.Image, Namespace: namespace})
	if err != nil || p.opts.PreferNode == "" {
		return objs, err
	}
	for _, o := range objs {
		if spec := podSpecOf(o); spec != nil {
			spec.Affinity = preferNode(p.opts.PreferNode)
		}
	}
	return objs, nil
}

func podSpecOf(o runtime.Object) *corev1.PodSpec {
	switch o := o.(type) {
	case *corev1.Pod:
		return &o.Spec
	case *appsv1.Deployment:
		return &o.Spec.Template.Spec
	}
	return nil
}

// preferNode is a preferred (not required) affinity to one node by name.
func preferNode(name string) *corev1.Affinity {
	term := corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{
		Key: corev1.LabelHostname, Operator: corev1.NodeSelectorOpIn, Values: []string{name},
	}}}
	return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{Weight: 100, Preference: term}},
	}}
}

// Predicted is the predicted timeline up to the deadline: the entries the
// model expects (at their nominal time) while the drill watches. A drill is
// judged against it conditioned on what it observes (Drill.Expected).
func (p *Plan) Predicted() timeline.Timeline {
	out := timeline.Timeline{}
	for _, e := range p.Prediction.Timeline.Entries {
		if e.At+verdict.Resolution+verdict.Settle <= p.Deadline {
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}

// cut keeps the entries a drill that watches until deadline can judge
// (verdict.ClosesBy).
func cut(t timeline.Timeline, deadline time.Duration) timeline.Timeline {
	out := timeline.Timeline{}
	for _, e := range t.Entries {
		if verdict.ClosesBy(e, deadline) {
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}

// deadline is the latest moment any expectation of s needs: its explicit
// durations (moved by how late the containers they follow started, as
// verdict.Check moves them), and for expectations without one, the entry
// that proves them (the first restart, back-off or event of that kind):
// when it was seen, else the end of its predicted window.
func deadline(s *scenarios.Scenario, p *predict.Prediction, seen timeline.Timeline, late []time.Duration) time.Duration {
	e := s.Expect
	var d time.Duration
	if r := e.Restarts; r != nil && r.Within != nil {
		d = max(d, r.Within.Duration+lateOf(late, r.Min-1))
	}
	for _, md := range []*time.Duration{nilOr(e.NoRestartsFor), nilOr(e.NotReadyWithin)} {
		if md != nil {
			d = max(d, *md+lateOf(late, 0))
		}
	}
	needs := map[timeline.Kind]bool{
		timeline.Started: e.LastTermination != nil || e.NewContainerIDs || len(e.PreviousLogs) > 0,
		timeline.BackOff: e.CrashLoopBackOff,
	}
	for _, ev := range e.Events {
		needs[timeline.Kind(ev.Reason)] = true
	}
	for kind, needed := range needs {
		if !needed {
			continue
		}
		if at, ok := first(seen, kind); ok {
			d = max(d, at.At)
			continue
		}
		if at, ok := first(p.Timeline, kind); ok {
			d = max(d, at.Latest)
		}
	}
	return d + settleMargin
}

// lateOf is how late the newest started instance up to inst started (see
// verdict.Observation.Late).
func lateOf(late []time.Duration, inst int) time.Duration {
	if len(late) == 0 || inst < 0 {
		return 0
	}
	return late[min(inst, len(late)-1)]
}

// first is the first entry of kind k that proves something: for Started,
// the first restart.
func first(t timeline.Timeline, k timeline.Kind) (timeline.Entry, bool) {
	for _, e := range t.Of(k) {
		if k != timeline.Started || e.Instance > 0 {
			return e, true
		}
	}
	return timeline.Entry{}, false
}

func nilOr(d *metav1.Duration) *time.Duration {
	if d == nil {
		return nil
	}
	return &d.Duration
}
