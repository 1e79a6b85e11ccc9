package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/probedrill/probedrill/internal/timeline"
)

func TestFailedDrillsKeepsOnlyFailedSpecs(t *testing.T) {
	entry := func(name string) types.ReportEntry {
		r := replay{Scenario: name, Elapsed: 42 * time.Second,
			Observed: timeline.Timeline{Entries: []timeline.Entry{{Kind: timeline.Started, At: time.Second, Pod: name}}}}
		return types.ReportEntry{Name: "timelines", Value: types.WrapEntryValue(r)}
	}
	suites := []types.Report{{SpecReports: types.SpecReports{
		{State: types.SpecStatePassed, ReportEntries: types.ReportEntries{entry("passed")}},
		{State: types.SpecStateFailed, ReportEntries: types.ReportEntries{entry("failed")}},
		{State: types.SpecStateTimedout, ReportEntries: types.ReportEntries{entry("timedout")}},
	}}}
	data, err := json.Marshal(suites)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	if err := os.WriteFile(report, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(report, dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"passed": false, "failed": true, "timedout": true} {
		data, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if (err == nil) != want {
			t.Errorf("%s.json written: %v, want %v", name, err == nil, want)
			continue
		}
		if !want {
			continue
		}
		var r replay
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s.json: %v", name, err)
		}
		if r.Scenario != name || r.Elapsed != 42*time.Second || len(r.Observed.Entries) != 1 {
			t.Errorf("%s.json = %+v, want the drill's timeline back", name, r)
		}
	}
	if err := run(report, dir); err == nil {
		t.Error("a second run overwrote the replays; want an error naming the file")
	}
}
