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

// execute runs report; it returns the log (stderr) and stdout apart.
func execute(args ...string) (log string, err error) {
	log, _, err = executeOut(args...)
	return log, err
}

func executeOut(args ...string) (log, stdout string, err error) {
	var logBuf, out bytes.Buffer
	c := NewCommand(cli.NewLogger(&logBuf, 0), cmd.IOStreams{Out: &out, ErrOut: &logBuf})
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&logBuf)
	c.SilenceUsage, c.SilenceErrors = true, true
	err = c.ExecuteContext(context.Background())
	return logBuf.String(), out.String(), err
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

func TestReportOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "lesson.html")
	if _, err := execute(writeRun(t, dir), "--output-file", out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(page), "<!DOCTYPE html>") {
		t.Errorf("--output-file did not get the page: %v %.40q", err, page)
	}
}

// -o text, json and junit print the run on stdout and write no page; json
// reads back as the same run.
func TestReportOtherFormatsGoToStdout(t *testing.T) {
	dir := t.TempDir()
	in := writeRun(t, dir)
	for format, want := range map[string]string{"text": "healthy", "junit": `<testcase name="healthy: A healthy app"`, "json": `"name": "healthy"`} {
		_, stdout, err := executeOut(in, "-o", format)
		if err != nil || !strings.Contains(stdout, want) {
			t.Errorf("-o %s: err %v, stdout %q, want %q in it", format, err, stdout, want)
		}
		if format == "json" {
			if _, err := report.ReadJSON(strings.NewReader(stdout)); err != nil {
				t.Errorf("-o json does not read back as a run: %v", err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); !os.IsNotExist(err) {
		t.Errorf("-o text/json/junit wrote a page")
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
		{[]string{junk, "-o", "lesson.html"}, `-o "lesson.html": use html, text, json or junit (the file to write is --output-file)`},
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
