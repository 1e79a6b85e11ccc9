package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	"sigs.k8s.io/kind/pkg/errors"
	"sigs.k8s.io/kind/pkg/exec"
)

// imageID returns the host image's ID (sha256:...), as kind's `load
// docker-image` does (pkg/cmd/kind/load/docker-image/docker-image.go).
func (d docker) imageID(image string) (string, error) {
	lines, err := exec.OutputLines(d("image", "inspect", "--format", "{{.Id}}", image))
	if err != nil || len(lines) != 1 {
		hint := "build or pull it first"
		if image == FaultyAppImage {
			hint = "build it first: make image-faultyapp"
		}
		return "", fmt.Errorf("image %s is not on this host; %s", image, hint)
	}
	return lines[0], nil
}

// needsImage lists the nodes where image is missing or has another ID.
// containerd's image ID is the same config digest as docker's image ID.
// The nodes are asked concurrently: each question is a docker exec.
func needsImage(ns []nodes.Node, image, id string) []nodes.Node {
	missing := make([]bool, len(ns))
	var wg sync.WaitGroup
	for i, n := range ns {
		wg.Go(func() {
			have, err := nodeutils.ImageID(n, image)
			missing[i] = err != nil || have != id
		})
	}
	wg.Wait()
	var out []nodes.Node
	for i, n := range ns {
		if missing[i] {
			out = append(out, n)
		}
	}
	return out
}

// loadImage saves image from the host once and imports it into each node
// concurrently, through the public parts of kind's `load docker-image`.
func (d docker) loadImage(image string, targets []nodes.Node) error {
	dir, err := os.MkdirTemp("", "probedrill-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tar := filepath.Join(dir, "image.tar")
	if err := d("save", "-o", tar, image).Run(); err != nil {
		return fmt.Errorf("saving %s: %w", image, err)
	}
	fns := make([]func() error, len(targets))
	for i, n := range targets {
		fns[i] = func() error { return importArchive(n, tar) }
	}
	return errors.UntilErrorConcurrent(fns)
}

func importArchive(n nodes.Node, tar string) error {
	f, err := os.Open(tar)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := nodeutils.LoadImageArchive(n, f); err != nil {
		return fmt.Errorf("loading into node %s: %w", n, err)
	}
	return nil
}
