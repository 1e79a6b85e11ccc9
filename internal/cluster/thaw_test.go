package cluster

import (
	"os"
	"path/filepath"
	"testing"
)

func TestThawFrozenCgroups(t *testing.T) {
	root := t.TempDir()
	write := func(rel, state string) string {
		path := filepath.Join(root, rel, "freezer.state")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(state+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	frozenPod := write("docker/abc/kubelet/kubepods/besteffort/pod1/ctr", "FROZEN")
	freezing := write("system.slice/docker-def.scope/kubelet/kubepods/pod2", "FREEZING")
	thawedNode := write("docker/abc", "THAWED")
	otherContainer := write("docker/zzz/kubepods/pod3", "FROZEN")

	n, err := thaw(root, []string{"abc", "def", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("thawed %d cgroups, want 2", n)
	}
	for path, want := range map[string]string{
		frozenPod: "THAWED", freezing: "THAWED", thawedNode: "THAWED\n", otherContainer: "FROZEN\n",
	} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

func TestThawWithoutFreezerHierarchy(t *testing.T) {
	n, err := thaw(filepath.Join(t.TempDir(), "no-such-dir"), []string{"abc"})
	if err != nil || n != 0 {
		t.Errorf("got %d, %v; want 0, nil", n, err)
	}
}
