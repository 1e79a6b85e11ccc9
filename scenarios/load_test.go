package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAllLoadsTheCatalog(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatalf("All: %v", err)
	}
	if len(all) != len(Names()) {
		t.Fatalf("All returned %d scenarios, the catalog has %d files", len(all), len(Names()))
	}
	for i, s := range all {
		if i > 0 && all[i-1].Name >= s.Name {
			t.Errorf("not sorted: %s before %s", all[i-1].Name, s.Name)
		}
		if s.File != "scenarios/catalog/"+s.Name+".yaml" {
			t.Errorf("%s: File = %q", s.Name, s.File)
		}
	}
}

func TestAllReturnsFreshValues(t *testing.T) {
	a, _ := All()
	a[0].Title = "changed"
	b, _ := All()
	if b[0].Title == "changed" {
		t.Fatal("All shares scenarios between calls")
	}
}

func TestGet(t *testing.T) {
	s, err := Get("seed-http-500")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if s.Pod.ContainerName != "test2" || s.Pod.Name != "test2-liveness" {
		t.Errorf("seed pod = %s/%s, want test2-liveness/test2", s.Pod.Name, s.Pod.ContainerName)
	}
}

func TestGetUnknownSuggests(t *testing.T) {
	tests := []struct{ name, want string }{
		{"seed-http-50", "did you mean seed-http-500"},
		{"seed-htp-500", "did you mean seed-http-500"},
		{"zzzzzzzzzzzzzzzzzzzz", "known: "},
	}
	for _, tt := range tests {
		_, err := Get(tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Get(%q) = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	data, err := os.ReadFile("catalog/seed-http-500.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "seed-http-500.yaml")
	bad := filepath.Join(dir, "mine.yaml")
	for _, f := range []string{good, bad} {
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadFile(good); err != nil {
		t.Errorf("LoadFile(%s): %v", good, err)
	}
	_, err = LoadFile(bad)
	if want := bad + `: name: "seed-http-500" does not match the file name; set name: mine`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadFile(%s) = %v, want %q", bad, err, want)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("LoadFile of a missing file succeeded")
	}
}
