package cluster

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// On a cgroup v1 host, when dockerd dies and a node is killed in the middle
// of an operation, a pod's freezer cgroup inside the node can stay FROZEN;
// `docker rm -f` then fails with "did not receive an exit event" until it is
// thawed (docs/offline-cluster.md). These are docker's cgroupfs and systemd
// layouts of the freezer hierarchy.
const freezerRoot = "/sys/fs/cgroup/freezer"

// exitEventError is the containerd error docker reports for a frozen container.
const exitEventError = "did not receive an exit event"

func freezerDirs(root, id string) []string {
	return []string{
		filepath.Join(root, "docker", id),
		filepath.Join(root, "system.slice", "docker-"+id+".scope"),
	}
}

// thaw writes THAWED to every freezer.state under the containers' freezer
// cgroups that reads FROZEN or FREEZING, and returns how many it thawed.
// Missing directories (cgroup v2, or nothing frozen) are not errors.
func thaw(root string, ids []string) (int, error) {
	thawed := 0
	for _, id := range ids {
		for _, dir := range freezerDirs(root, id) {
			n, err := thawTree(dir)
			thawed += n
			if err != nil {
				return thawed, err
			}
		}
	}
	return thawed, nil
}

func thawTree(dir string) (int, error) {
	thawed := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || d.Name() != "freezer.state" {
			return nil
		}
		state, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if s := strings.TrimSpace(string(state)); s != "FROZEN" && s != "FREEZING" {
			return nil
		}
		if err := os.WriteFile(path, []byte("THAWED"), 0); err != nil {
			return err
		}
		thawed++
		return nil
	})
	if os.IsNotExist(err) {
		err = nil
	}
	return thawed, err
}
