package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/report"
	"github.com/probedrill/probedrill/internal/timeline"
)

func execute(args ...string) (string, error) {
	var log bytes.Buffer
	c := NewCommand(cli.NewLogger(&log, 0), cmd.IOStreams{Out: &log, ErrOut: &log})
	c.SetArgs(args)
	c.SetOut(&log)
	c.SetErr(&log)
	c.SilenceUsage, c.SilenceErrors = true, true
	err := c.ExecuteContext(context.Background())
	return log.String(), err
}

func writeRun(t *testing.T, dir string) string {
	t.Helper()
	started := timeline.Entry{Kind: timeline.Started, At: time.Second, Earliest: time.Second, Latest: time.Second}
	run := report.Run{Started: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), Cluster: report.Cluster{Name: "kind-probedrill"},
		Scenarios: []report.ScenarioResult{{Name: "healthy", Title: "A healthy app", Passed: true,
			Predicted: timeline.Timeline{Entries: []timeline.Entry{started}},
			Observed:  timeline.Timeline{Entries: []timeline.Entry{started}}}}}
	path := filepath.Join(dir, "run.json")
	if err := report.WriteFile(path, run, report.WriteJSON); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportWritesThePageNextToTheRun(t *testing.T) {
	dir := t.TempDir()
	log, err := execute(writeRun(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<svg class="timeline" data-scenario="healthy"`) {
		t.Errorf("the page has no timeline for the scenario")
	}
	if !strings.Contains(log, "report.html") {
		t.Errorf("the log does not say where the page is: %q", log)
	}
}

func TestReportOutputFlag(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "lesson.html")
	if _, err := execute(writeRun(t, dir), "-o", out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("-o was not honoured: %v", err)
	}
}

func TestReportBadInputIsUsage(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junit.xml")
	if err := os.WriteFile(junk, []byte("<testsuites/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{nil, "takes one run.json file"},
		{[]string{"a.json", "b.json"}, "got 2 arguments"},
		{[]string{filepath.Join(dir, "missing.json")}, "missing.json does not exist"},
		{[]string{junk}, "not a probedrill run record"},
	}
	for _, c := range cases {
		_, err := execute(c.args...)
		if err == nil || !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want a usage error with %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); !os.IsNotExist(err) {
		t.Errorf("bad input wrote a page")
	}
}
