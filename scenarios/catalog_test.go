package scenarios

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestCatalogCoversTheSeed: every section of the seed chapter that
// describes a behaviour is reproduced by at least one scenario. "2." only
// introduces the pod that "3." runs; "5." is the heading of its three
// subsections.
func TestCatalogCoversTheSeed(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, s := range all {
		covered[s.Seed] = true
	}
	for _, sec := range SeedSections() {
		if !covered[sec] && sec != "2.创建HTTP GET存活探针" && sec != "5.创建有效的存活探针" {
			t.Errorf("no scenario reproduces seed section %s", sec)
		}
	}
}

// TestCatalogCoversTheFaults: every fault is drilled, except flaky, whose
// randomness cannot be asserted on a cluster without flakes.
func TestCatalogCoversTheFaults(t *testing.T) {
	all, _ := All()
	used := map[string]bool{}
	for _, s := range all {
		used[s.App.Fault] = true
	}
	for _, f := range Faults() {
		if !used[f] && f != FaultFlaky {
			t.Errorf("no scenario uses fault %s", f)
		}
	}
}

// TestSeedScenarioIsTheSeed pins the seed's pod: name, container and the
// probe exactly as the chapter writes it (httpGet / 8080 and nothing else,
// so the API defaults apply).
func TestSeedScenarioIsTheSeed(t *testing.T) {
	s, err := Get("seed-http-500")
	if err != nil {
		t.Fatal(err)
	}
	want := &corev1.Probe{
		ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}},
		TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
	}
	if d := cmp.Diff(want, s.Pod.LivenessProbe); d != "" {
		t.Errorf("seed probe (-want +got):\n%s", d)
	}
	if s.Pod.Name != "test2-liveness" || s.Pod.ContainerName != "test2" || *s.App.After != 5 {
		t.Errorf("seed pod %s/%s after %d", s.Pod.Name, s.Pod.ContainerName, *s.App.After)
	}
	twin, _ := Get("seed-initial-delay")
	twin.Pod.LivenessProbe.InitialDelaySeconds = 0
	if d := cmp.Diff(s.Pod, twin.Pod); d != "" {
		t.Errorf("seed-initial-delay differs from the seed by more than initialDelaySeconds:\n%s", d)
	}
}

// TestCatalogIsQuickUnlessSlow: most drills keep probes at 5 s or less so
// the e2e suite stays fast; the seed's own pods keep the seed's 10 s.
func TestCatalogIsQuickUnlessSlow(t *testing.T) {
	all, _ := All()
	exact := []string{"seed-http-500", "seed-initial-delay", "seed-slow-start-no-delay", "seed-slow-start-initial-delay"}
	for _, s := range all {
		for _, np := range s.Pod.probes() {
			if np.probe.PeriodSeconds > 5 && !slices.Contains(exact, s.Name) {
				t.Errorf("%s: %s.periodSeconds %d; keep drills quick (2-5 s)", s.Name, np.field, np.probe.PeriodSeconds)
			}
		}
	}
}

// TestCatalogHoldsOnlyYAML: go:embed takes catalog/*.yaml, so a .yml file
// or a stray draft would be silently left out.
func TestCatalogHoldsOnlyYAML(t *testing.T) {
	entries, err := os.ReadDir("catalog")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			t.Errorf("catalog/%s is not embedded: name scenario files <name>.yaml", e.Name())
		}
	}
}
