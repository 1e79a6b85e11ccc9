package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/suites/internal/e2ereport"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

// One drill whose first start came inside its 10-s window and whose
// Killing came 5 s after its 4-s window: the tables count both, and the
// miss is named.
func TestMeasureCountsWindowsAndLatencies(t *testing.T) {
	d := e2ereport.Drill{Scenario: "classroom-fast", Elapsed: sec(60),
		Predicted: timeline.Timeline{Entries: []timeline.Entry{
			{Kind: timeline.Started, At: sec(1), Earliest: 0, Latest: sec(10)},
			{Kind: timeline.Killing, At: sec(20), Earliest: sec(18), Latest: sec(22)},
		}},
		Observed: timeline.Timeline{Entries: []timeline.Entry{
			{Kind: timeline.Started, At: sec(2), Pod: "p"},
			{Kind: timeline.Killing, At: sec(27), Pod: "p"},
		}},
	}
	entry := types.ReportEntry{Name: "timelines", Value: types.WrapEntryValue(d)}
	data, err := json.Marshal([]types.Report{{SpecReports: types.SpecReports{
		{State: types.SpecStateFailed, ReportEntries: types.ReportEntries{entry}}}}})
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(report, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(&out, []string{report}, options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| firstStart | 1 | 2s | 2s | 2s | 2s | 2s |",
		"| Started | 1 | 1 | 10s | 10s |",
		"| Killing | 1 | 0 | 4s | 4s |",
		"- classroom-fast: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
