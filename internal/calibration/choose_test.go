package calibration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
)

// The shipped default parses, has enough samples to replace every span
// it measures, and narrows the envelope.
func TestShippedDefault(t *testing.T) {
	f := Shipped()
	for l := range spanOf {
		if m := f.Latencies[l]; m.N < minSamples {
			t.Errorf("%s: %d samples, want at least %d", l, m.N, minSamples)
		}
	}
	k, env := f.Kubelet(predict.Kubelet{}), predict.DefaultKubelet()
	if k.FirstStart.Max >= env.FirstStart.Max || k.RestartLatency.Max >= env.RestartLatency.Max {
		t.Errorf("default FirstStart %v, RestartLatency %v: not narrower than the envelope's %v, %v",
			k.FirstStart, k.RestartLatency, env.FirstStart, env.RestartLatency)
	}
}

// Choose takes the named file first, then the cluster's stored one, then
// the shipped default; another cluster gets the envelope.
func TestChoose(t *testing.T) {
	t.Setenv("PROBEDRILL_CACHE", t.TempDir())
	key := &Key{Cluster: "probedrill", NodeImage: "probedrill/node:v1.37.2"}
	if c, err := Choose("", key); err != nil || c.Source != Default {
		t.Fatalf("nothing stored: %v %v, want the default", c.Source, err)
	}
	if c, err := Choose("", nil); err != nil || c.Source != Envelope || c.Kubelet(predict.Kubelet{}) != predict.DefaultKubelet() {
		t.Fatalf("another cluster: %v %v, want the envelope", c.Source, err)
	}
	if ok, err := key.Stored(); ok || err != nil {
		t.Errorf("Stored() = %v, %v before anything was stored", ok, err)
	}
	stored := New(measured(), Removals{}, "a test", time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC))
	path, err := key.Store(stored)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, filepath.Join("calibration", "probedrill_probedrill-node-v1.37.2.json")) {
		t.Errorf("stored at %s", path)
	}
	if ok, err := key.Stored(); !ok || err != nil {
		t.Errorf("Stored() = %v, %v after Store", ok, err)
	}
	c, err := Choose("", key)
	if err != nil || c.Source != Cluster || c.Path != path || c.File.Source != "a test" {
		t.Errorf("stored: %+v %v, want the cluster's from %s", c, err, path)
	}
	other := filepath.Join(t.TempDir(), "mine.json")
	if err := Shipped().Save(other); err != nil {
		t.Fatal(err)
	}
	if c, err := Choose(other, key); err != nil || c.Source != FromFile || c.Path != other {
		t.Errorf("named file: %+v %v", c.Source, err)
	}
	for _, c := range []Choice{{Source: Envelope}, {Source: Default}, c, {Source: FromFile, Path: other}} {
		if en, zh := c.String(), c.Chinese(); !strings.HasPrefix(en, "Latencies: ") || !strings.HasPrefix(zh, "延迟：") || (c.Path != "" && !strings.Contains(en+zh, c.Path)) {
			t.Errorf("%s: %q / %q, want both to say where the latencies come from", c.Source, en, zh)
		}
	}
	for _, word := range []Source{Envelope, Default} {
		if c, err := Choose(string(word), key); err != nil || c.Source != word {
			t.Errorf("--calibration %s: %v %v", word, c.Source, err)
		}
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Choose("", key); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "probedrill calibrate") {
		t.Errorf("a broken stored file: %v, want an error naming it and the fix", err)
	}
}

// The e2e suites' calibration (measured under make e2e's load) is a file
// Load reads, with every latency the model reads, and wider than the
// shipped quiet default where load shows: the first start.
func TestE2ECalibrationLoads(t *testing.T) {
	f, err := Load("../../suites/e2e/testdata/e2e-calibration.json")
	if err != nil {
		t.Fatal(err)
	}
	if thin := f.Thin(); len(thin) != 0 {
		t.Errorf("too few samples of %v", thin)
	}
	if e2e, quiet := f.Latencies[FirstStart].MaxSeconds, Shipped().Latencies[FirstStart].MaxSeconds; e2e <= quiet {
		t.Errorf("first start at most %vs under e2e load, %vs on the quiet cluster; want the load slower", e2e, quiet)
	}
	// Under e2e's load a kill now and then finds the exited container
	// deleted (5 of 796 kills); the quiet cluster's 12 copies saw none.
	if r := f.Removals; r == nil || r.Seen == 0 || f.Kubelet(predict.Kubelet{}).Removals != 1 {
		t.Errorf("removals %+v, want some seen and one allowed per drill", r)
	}
	if k := Shipped().Kubelet(predict.Kubelet{}); k.Removals != 0 {
		t.Errorf("the shipped default allows %d removals, want 0", k.Removals)
	}
}
