// Package e2ereport reads what the e2e suite's drills leave in Ginkgo's
// JSON report (_out/e2e/report.json): the "timelines" report entry of each
// drill (suites/e2e/driver_test.go), for the replays and measure commands.
package e2ereport

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/probedrill/probedrill/internal/timeline"
)

// Drill is one drill's timelines; Failed says whether its spec failed.
type Drill struct {
	Scenario  string            `json:"scenario"`
	Elapsed   time.Duration     `json:"elapsed"`
	Predicted timeline.Timeline `json:"predicted"`
	Observed  timeline.Timeline `json:"observed"`
	Failed    bool              `json:"-"`
}

// Read returns every drill of the report at path, in report order.
func Read(path string) ([]Drill, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w (make e2e writes it)", err)
	}
	var suites []types.Report
	if err := json.Unmarshal(data, &suites); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var out []Drill
	for _, s := range suites {
		for _, spec := range s.SpecReports {
			for _, e := range spec.ReportEntries {
				if e.Name != "timelines" {
					continue
				}
				var d Drill
				if err := json.Unmarshal([]byte(e.Value.AsJSON), &d); err != nil {
					return nil, fmt.Errorf("read %s: spec %q: timelines: %w", path, spec.FullText(), err)
				}
				d.Failed = spec.State.Is(types.SpecStateFailureStates)
				out = append(out, d)
			}
		}
	}
	return out, nil
}
