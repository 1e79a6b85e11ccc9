package cluster

import (
	"context"
	"errors"
	"fmt"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"

	"github.com/probedrill/probedrill/internal/cli"
)

// FaultyAppImage is the drills' app image, loaded into every node by `up`.
const FaultyAppImage = "probedrill/faultyapp:v0.1.0"

// cgroupV1Warning is kind's warning on cgroup v1 hosts, harmless here
// (docs/offline-cluster.md); it is shown with -v 1 only.
const cgroupV1Warning = "cgroup v1 is deprecated"

// fixBroken is the one fix for a cluster that cannot be brought back.
const fixBroken = "recreate it: probedrill down && probedrill up"

// Up makes the probedrill cluster ready for drills: it creates it, or reuses
// it when it exists (starting node containers that stopped when the Docker
// engine died), loads the images, and waits until every node is Ready and
// the cluster DNS answers. A cluster it created is deleted again if a later
// step fails (unless WithRetain); one it reused is left as it was.
func (p *Provider) Up(ctx context.Context, opts ...Option) (*Cluster, error) {
	c := newConfig(opts...)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := p.preflight(c); err != nil {
		return nil, err
	}
	status := cli.StatusForLogger(p.logger)
	cl, created, err := p.ensure(ctx, c, status)
	if err == nil {
		err = p.finish(ctx, c, cl, created, status)
	}
	status.End(err == nil)
	if err != nil && created && !c.retain {
		p.cleanup(status)
	}
	if err != nil {
		return nil, err
	}
	return cl, nil
}

// preflight checks what can be checked before anything is created.
func (p *Provider) preflight(c *config) error {
	if err := p.docker.checkEngine(); err != nil {
		return err
	}
	var errs []error
	for _, image := range c.images {
		if _, err := p.docker.imageID(image); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ensure creates or reuses the cluster; created tells which.
func (p *Provider) ensure(ctx context.Context, c *config, status *cli.Status) (cl *Cluster, created bool, err error) {
	ns, err := p.kind(p.logger).ListNodes(Name)
	if err != nil {
		return nil, false, err
	}
	if len(ns) > 0 && c.recreate {
		status.Start(fmt.Sprintf("Deleting cluster %s", Name))
		if err := p.delete(status); err != nil {
			return nil, false, err
		}
		ns = nil
	}
	if len(ns) > 0 {
		cl, err := p.reuse(ctx, c, ns, status)
		return cl, false, err
	}
	return p.create(ctx, c, status)
}

// kindCreate runs kind's create, whose progress becomes the detail of our
// step. kind's create takes no context: when ctx ends first, the node
// containers are removed under it, which makes its current step fail and
// return (kind deletes what it made when a step fails, unless retained).
func (p *Provider) kindCreate(ctx context.Context, c *config, kc *v1alpha4.Cluster, status *cli.Status) error {
	done := make(chan error, 1)
	go func() {
		done <- p.kind(cli.Nested(p.logger, status, cgroupV1Warning)).Create(Name,
			kindcluster.CreateWithV1Alpha4Config(kc),
			kindcluster.CreateWithRetain(c.retain),
			kindcluster.CreateWithKubeconfigPath(p.kubeconfig),
		)
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("creating cluster %s: %w", Name, err)
		}
		return nil
	case <-ctx.Done():
		_ = p.delete(status)
		<-done
		_ = p.delete(status) // whatever kind made after the first delete
		return ctx.Err()
	}
}

// create runs kind's create with the profile's config and records the
// settings. created is true once kind has made the cluster: from then on a
// failure leaves something to clean up (before, kind cleans up itself).
func (p *Provider) create(ctx context.Context, c *config, status *cli.Status) (cl *Cluster, created bool, err error) {
	if _, err := p.docker.imageID(c.nodeImage); err != nil {
		return nil, false, fmt.Errorf("node image %s is not on this host; build it first: make images", c.nodeImage)
	}
	kc, err := c.kindConfig()
	if err != nil {
		return nil, false, err
	}
	status.Start(fmt.Sprintf("Creating cluster %s (%s, %s)", Name, c.profile, KubernetesVersion))
	if err := p.kindCreate(ctx, c, kc, status); err != nil {
		return nil, false, err
	}
	ns, err := p.kind(p.logger).ListInternalNodes(Name)
	if err != nil {
		return nil, true, err
	}
	if cl, err = p.connect(ns); err != nil {
		return nil, true, err
	}
	cl.Settings = c.settings()
	cs, err := cl.Clientset()
	if err != nil {
		return nil, true, err
	}
	return cl, true, WriteSettings(ctx, cs, cl.Settings)
}

// finish loads the images and waits for the cluster to be ready for drills.
func (p *Provider) finish(ctx context.Context, c *config, cl *Cluster, created bool, status *cli.Status) error {
	for _, image := range c.images {
		status.Start(fmt.Sprintf("Loading %s", image))
		if err := p.load(cl, image, status); err != nil {
			return err
		}
	}
	status.Start("Waiting for nodes Ready and DNS")
	if err := cl.wait(ctx, c.readyTimeout); err != nil && !created {
		return broken(err)
	} else if err != nil {
		return err
	}
	return nil
}

// load puts image on every node that lacks it (or has another build of it).
func (p *Provider) load(cl *Cluster, image string, status *cli.Status) error {
	id, err := p.docker.imageID(image)
	if err != nil {
		return err
	}
	targets := needsImage(cl.nodes, image, id)
	if len(targets) == 0 {
		status.Retitle(fmt.Sprintf("Loading %s (already on every node)", image))
		return nil
	}
	status.Retitle(fmt.Sprintf("Loading %s into %d node(s)", image, len(targets)))
	return p.docker.loadImage(image, targets)
}

// cleanup deletes a cluster whose creation did not finish.
func (p *Provider) cleanup(status *cli.Status) {
	status.Start(fmt.Sprintf("Deleting the unfinished cluster %s (keep it for debugging with --retain)", Name))
	status.End(p.delete(status) == nil)
}

// broken wraps an error about an existing cluster that cannot be used.
func broken(err error) error {
	if errors.Is(err, context.Canceled) {
		return err // interrupted, not broken
	}
	return fmt.Errorf("cluster %s exists but cannot be used (%w); %s", Name, err, fixBroken)
}
