package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManifestsAreFresh regenerates every manifest in memory and compares
// it with the committed file, so a scenario change cannot ship without its
// manifest.
func TestManifestsAreFresh(t *testing.T) {
	files, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		path := filepath.Join("..", name)
		got, err := os.ReadFile(path)
		switch {
		case os.IsNotExist(err):
			t.Errorf("manifests/%s is missing: run make manifests", name)
		case err != nil:
			t.Errorf("reading manifests/%s: %v", name, err)
		case !bytes.Equal(got, want):
			t.Errorf("manifests/%s is stale: run make manifests", name)
		}
	}
	orphans, err := orphans("..", files)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orphans {
		t.Errorf("manifests/%s has no scenario any more: run make manifests", filepath.Base(o))
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "gone.yaml"), []byte(generatedMark+" from x\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte("kind: Pod\n"), 0o644))
	var out bytes.Buffer
	must(write(dir, map[string][]byte{"a.yaml": []byte("a\n")}, &out))
	want := "wrote " + filepath.Join(dir, "a.yaml") + "\nremoved " + filepath.Join(dir, "gone.yaml") + "\n"
	if out.String() != want {
		t.Errorf("first write said %q, want %q", out.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "mine.yaml")); err != nil {
		t.Errorf("a file gen did not write was removed: %v", err)
	}
	out.Reset()
	must(write(dir, map[string][]byte{"a.yaml": []byte("a\n")}, &out))
	if out.Len() != 0 {
		t.Errorf("an unchanged rerun said %q", out.String())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-nope"}, &out); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("run(-nope) = %v", err)
	}
}
