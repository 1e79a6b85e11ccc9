package screen

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/render"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// TextWidth is where plain text is wrapped: a projector shows about 100
// columns in a font the back row can read.
const TextWidth = 100

// Intro introduces a scenario: its name and title, what it teaches (in
// lang, English where it has no Chinese), its app and its probes as
// `kubectl describe pod` shows them.
func Intro(s *scenarios.Scenario, lang predict.Lang) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", s.Name, s.Title)
	if s.Seed != "" {
		fmt.Fprintf(&b, "seed: %s\n", s.Seed)
	}
	fmt.Fprintf(&b, "\n%s\n\n", wrap(teach(s, lang), TextWidth))
	w := wordsFor(lang)
	fmt.Fprintf(&b, "%sfaultyapp %s\n", w.fault, strings.Join(render.Args(s.App)[1:], " "))
	b.WriteString(probes(s.Pod))
	return b.String()
}

// teach is the scenario's teaching text in lang, if it has one.
func teach(s *scenarios.Scenario, lang predict.Lang) string {
	if lang == predict.Chinese && s.Teach.ZH != "" {
		return s.Teach.ZH
	}
	return s.Teach.EN
}

// probes lists the pod's probes with kubectl describe's labels.
func probes(p scenarios.Pod) string {
	var rows [][]string
	for _, pr := range []struct {
		name  string
		probe *corev1.Probe
	}{{"Liveness:", p.LivenessProbe}, {"Readiness:", p.ReadinessProbe}, {"Startup:", p.StartupProbe}} {
		if pr.probe != nil {
			rows = append(rows, []string{pr.name, describeProbe(pr.probe)})
		}
	}
	return table(rows, 1)
}

// predictedTable lists predicted entries: nominal time ± tolerance, label,
// and why wrapped to width.
func predictedTable(entries []timeline.Entry, width int) string {
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, []string{aroundNominal(e), label(e), e.Why})
	}
	return tableWrapped(rows, 2, width)
}
