package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseIPRoutes(t *testing.T) {
	out := []byte(`[{"dst":"default","gateway":"172.18.0.1","dev":"eth0","flags":[]},` +
		`{"dst":"10.244.0.0/24","dev":"cni0","protocol":"kernel","scope":"link","prefsrc":"10.244.0.1","flags":[]},` +
		`{"dst":"10.244.1.0/24","gateway":"172.18.0.3","dev":"eth0","flags":[]},` +
		`{"dst":"172.18.0.9","gateway":"172.18.0.1","dev":"eth0","flags":[]}]` + "\n")
	got, err := parseIPRoutes(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []route{
		{dst: "10.244.0.0/24"},
		{dst: "10.244.1.0/24", via: "172.18.0.3"},
		{dst: "172.18.0.9/32", via: "172.18.0.1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := parseIPRoutes([]byte("Error: nope")); err == nil {
		t.Fatal("accepted non-JSON output")
	}
}

func TestWriteIfChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net.d", "10-x.conflist")
	for i, step := range []struct {
		data        string
		wantChanged bool
	}{{"a", true}, {"a", false}, {"b", true}} {
		changed, err := writeIfChanged(path, []byte(step.data))
		if err != nil || changed != step.wantChanged {
			t.Fatalf("step %d: changed=%v err=%v, want changed=%v", i, changed, err, step.wantChanged)
		}
		if got, _ := os.ReadFile(path); string(got) != step.data {
			t.Fatalf("step %d: file holds %q", i, got)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}
