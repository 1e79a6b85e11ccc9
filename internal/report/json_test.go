package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJSONRoundTrip(t *testing.T) {
	want := sampleRun()
	var b bytes.Buffer
	if err := WriteJSON(&b, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("run changed in a JSON round trip (-want +got):\n%s", diff)
	}
}

func TestJSONIsReadable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleRun()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"version": 1`, `"<html><script>`, `"status": "late"`, `"passed": false`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("run.json lacks %s", want)
		}
	}
}

func TestReadJSONRejects(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"another version", `{"version": 2, "scenarios": []}`, "run record version 2: this probedrill reads version 1"},
		{"no version", `{"scenarios": []}`, `it has no "version" field`},
		{"unknown field", `{"version": 1, "scenarios": [], "colour": "red"}`, `unknown field "colour"`},
		{"not JSON", `<testsuites/>`, "not a probedrill run record"},
		{"a wrong type", `{"version": 1, "duration": "5m"}`, "not a probedrill run record"},
	}
	for _, c := range cases {
		if _, err := ReadJSON(strings.NewReader(c.doc)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestWriteFileThenReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.json")
	if err := WriteFile(path, sampleRun(), WriteJSON); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the temporary file was left behind: %v", err)
	}
	r, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Scenarios) != 4 {
		t.Errorf("read %d scenarios, want 4", len(r.Scenarios))
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("ReadFile of a missing file: want an error")
	}
}
