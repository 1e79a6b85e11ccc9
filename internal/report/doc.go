// Package report is the record of a `probedrill run` and its renderers: JSON
// (the record itself, read back by `probedrill report`), JUnit XML for CI, a
// plain-text summary table for the terminal, and a self-contained HTML page
// with one SVG timeline per scenario.
//
// # The run.json schema (version 1)
//
// A run.json file is one Run object:
//
//	{
//	  "version": 1,                      // SchemaVersion; readers refuse others
//	  "started": "2026-05-04T10:00:00Z", // RFC 3339
//	  "duration": 95000000000,           // every duration is Go's time.Duration: integer nanoseconds
//	  "cluster": {"name": …, "kubernetesVersion": …, "profile": …, "nodes": …,
//	              "maxContainerRestartPeriod": …, "note": …},
//	  "scenarios": [{
//	    "name": "classroom-fast", "title": …, "labels": […], "namespace": "pd-classroom-fast-x7k2p",
//	    "predicted": Timeline, "observed": Timeline,  // internal/timeline's JSON: offsets from pod creation
//	    "findings": [{"expect", "outcome": "pass|fail|pending", "why"}],
//	    "comparison": {"lines": [{"status", "label", "predicted", "observed", "off", "text"}], "matched", "mismatched"},
//	    "watched": …,   // how long after pod creation the drill was observed
//	    "duration": …,  // wall-clock time of the drill, namespace creation to cleanup
//	    "passed": true,
//	    "error": "…"    // set when the drill could not run to its end (never started, interrupted)
//	  }],
//	  "skipped": [{"name", "title", "why"}]  // scenarios left out of the run, and why
//	}
//
// Decoding is strict: an unknown field or another version is an error, so a
// change to the schema, even an added field, comes with a new SchemaVersion.
package report
