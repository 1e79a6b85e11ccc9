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
func needsImage(ns []nodes.Node, image, id string) []nodes.Node {
	return nodesWhere(ns, func(n nodes.Node) bool {
		have, err := nodeutils.ImageID(n, image)
		return err != nil || have != id
	})
}

// needsAnyImage lists the nodes that have no image of that name at all.
func needsAnyImage(ns []nodes.Node, image string) []nodes.Node {
	return nodesWhere(ns, func(n nodes.Node) bool {
		_, err := nodeutils.ImageID(n, image)
		return err != nil
	})
}

// nodesWhere lists the nodes for which f holds. The nodes are asked
// concurrently: each question is a docker exec.
func nodesWhere(ns []nodes.Node, f func(nodes.Node) bool) []nodes.Node {
	hit := make([]bool, len(ns))
	var wg sync.WaitGroup
	for i, n := range ns {
		wg.Go(func() { hit[i] = f(n) })
	}
	wg.Wait()
	var out []nodes.Node
	for i, n := range ns {
		if hit[i] {
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

// MissingImageError says an image is neither on every node nor in this
// host's Docker engine: check cannot run the user's app (exit 2).
type MissingImageError struct{ Image string }

func (e *MissingImageError) Error() string {
	return fmt.Sprintf("image %s is neither on the cluster's nodes nor in this machine's Docker engine; "+
		"build it (docker build -t %s .) or load it (docker load -i FILE.tar), then run this again: "+
		"probedrill never pulls on your behalf", e.Image, e.Image)
}

// LoadImages puts each image on every node of the cluster, from this host's
// Docker engine, as kind's `load docker-image` does. An image every node
// has already is left alone even if the host lacks it; one that neither
// has is a *MissingImageError, checked for all images before any load.
// progress, if not nil, is told about each image being loaded.
func (p *Provider) LoadImages(images []string, progress func(string)) (loaded []string, err error) {
	if err := p.docker.checkEngine(); err != nil {
		return nil, err
	}
	ns, err := p.kind(p.logger).ListInternalNodes(Name)
	if err != nil {
		return nil, fmt.Errorf("listing the nodes of cluster %s: %w", Name, err)
	}
	if len(ns) == 0 {
		return nil, fmt.Errorf("cluster %s does not exist; run `probedrill up`", Name)
	}
	type load struct {
		image   string
		targets []nodes.Node
	}
	var todo []load
	for _, image := range images {
		id, err := p.docker.imageID(image)
		if err != nil {
			if len(needsAnyImage(ns, image)) > 0 {
				return nil, &MissingImageError{Image: image}
			}
			continue // every node has it; the host need not
		}
		if t := needsImage(ns, image, id); len(t) > 0 {
			todo = append(todo, load{image, t})
		}
	}
	for _, l := range todo {
		if progress != nil {
			progress(fmt.Sprintf("loading %s into %d node(s)", l.image, len(l.targets)))
		}
		if err := p.docker.loadImage(l.image, l.targets); err != nil {
			return loaded, fmt.Errorf("loading %s: %w", l.image, err)
		}
		loaded = append(loaded, l.image)
	}
	return loaded, nil
}
