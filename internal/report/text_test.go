package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// goldenEnv rewrites the golden files from the current output:
// UPDATE_GOLDEN=1 go test ./internal/report/
const goldenEnv = "UPDATE_GOLDEN"

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv(goldenEnv) != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with %s=1 go test ./internal/report/)", err, goldenEnv)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); if the change is right, rerun with %s=1:\n%s", path, goldenEnv, diff)
	}
}

func summary(t *testing.T, color bool) string {
	t.Helper()
	var b strings.Builder
	if err := WriteSummary(&b, sampleRun(), color); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSummaryGolden(t *testing.T) {
	golden(t, "summary.txt", summary(t, false))
}

func TestSummaryHasNoColourUnlessAsked(t *testing.T) {
	if plain := summary(t, false); strings.Contains(plain, "\x1b[") {
		t.Errorf("plain summary has escape codes:\n%q", plain)
	}
	colored := summary(t, true)
	if !strings.Contains(colored, green+"✓ pass"+reset) || !strings.Contains(colored, red+"✗ FAIL"+reset) {
		t.Errorf("coloured summary lacks coloured marks:\n%q", colored)
	}
}

// Colour must not change the layout: with the escape codes removed, the
// coloured table is the plain one.
func TestSummaryColourKeepsAlignment(t *testing.T) {
	stripped := summary(t, true)
	for _, code := range []string{green, red, dim, reset} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	if diff := cmp.Diff(summary(t, false), stripped); diff != "" {
		t.Errorf("colour changed the layout (-plain +coloured):\n%s", diff)
	}
}

func TestTotalsLine(t *testing.T) {
	r := sampleRun()
	r.Scenarios = r.Scenarios[:1]
	r.Skipped = nil
	if got, want := totalsLine(r), "1 of 1 scenarios passed in 2m7s."; got != want {
		t.Errorf("totals %q, want %q", got, want)
	}
}
