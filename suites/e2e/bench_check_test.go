//go:build e2e

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/cluster"
)

// BenchmarkCheckAllFaults times a full check (all six faults) of nginx
// with Redis behind it on the warm cluster (make bench-check). Its
// baseline, measured in the same run, is the faults' own times added up:
// what the check would take one fault after another; the ratio is what
// running them at once saves.
func BenchmarkCheckAllFaults(b *testing.B) {
	var wall, serial float64
	for b.Loop() {
		var out, log bytes.Buffer
		err := app.RunContext(context.Background(), cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &log},
			[]string{"check", "../../examples/web-redis/readiness-checks-redis.yaml", "--workload", "deploy/web",
				"-o", "json", "--context", cluster.Context})
		var r struct {
			TookSeconds float64
			Faults      []struct {
				Fault, Result string
				TookSeconds   float64
			}
		}
		if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil || len(r.Faults) != 6 {
			b.Fatalf("check: %v, %v\n%s", err, jerr, log.String())
		}
		wall += r.TookSeconds
		for _, f := range r.Faults {
			serial += f.TookSeconds
			b.Logf("%-14s %-4s %5.1fs", f.Fault, f.Result, f.TookSeconds)
		}
	}
	n := float64(b.N)
	b.ReportMetric(wall/n, "s/check")
	b.ReportMetric(serial/n, "s/serial")
	b.ReportMetric(serial/wall, "serial/check")
}
