// Command replays turns the drills of failed e2e specs into replays: the
// observed timeline of each, as internal/predict's TestReplays reads it
// (testdata/replays/<scenario>.json). A drill that did not go as predicted
// is a bug to understand, not a flake: if the model was wrong, its replay is
// the regression test of the fix.
//
//	go run ./suites/replays [-report _out/e2e/report.json] [-out DIR]
//
// It only lists what it would write unless -out is given.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/suites/internal/e2ereport"
)

// replay is the file TestReplays reads; the suite's "timelines" report
// entry (suites/e2e/driver_test.go) holds it and more.
type replay struct {
	Scenario string            `json:"scenario"`
	Elapsed  time.Duration     `json:"elapsed"`
	Observed timeline.Timeline `json:"observed"`
}

func main() {
	report := flag.String("report", "_out/e2e/report.json", "Ginkgo JSON report of a `make e2e` run")
	out := flag.String("out", "", "directory to write the replays to (internal/predict/testdata/replays); empty: only list them")
	flag.Parse()
	if err := run(*report, *out); err != nil {
		fmt.Fprintln(os.Stderr, "replays:", err)
		os.Exit(1)
	}
}

func run(report, out string) error {
	failed, err := failedDrills(report)
	if err != nil {
		return err
	}
	if len(failed) == 0 {
		fmt.Printf("%s: no failed drill\n", report)
		return nil
	}
	if out == "" {
		fmt.Println("Drills that did not go as predicted (a bug to understand, in the model or the cluster, not a flake to retry):")
		for _, r := range failed {
			fmt.Printf("  %s (failed after %v)\n", r.Scenario, r.Elapsed.Round(time.Second))
		}
		fmt.Printf("Keep them as regression tests: go run ./suites/replays -report %s -out internal/predict/testdata/replays\n", report)
		return nil
	}
	for _, r := range failed {
		path := filepath.Join(out, r.Scenario+".json")
		if err := write(path, r); err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}
	return nil
}

// failedDrills reads the timelines of every failed spec of the report.
func failedDrills(path string) ([]replay, error) {
	drills, err := e2ereport.Read(path)
	if err != nil {
		return nil, err
	}
	var out []replay
	for _, d := range drills {
		if d.Failed {
			out = append(out, replay{Scenario: d.Scenario, Elapsed: d.Elapsed, Observed: d.Observed})
		}
	}
	return out, nil
}

func write(path string, r replay) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists: a second replay of %s needs a name of its own (rename one)", path, r.Scenario)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
