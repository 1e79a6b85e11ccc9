package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"
	"os"
	"time"
)

// loop waits for the kubelet's kubeconfig (written by kubeadm init/join),
// then reconciles every interval until ctx ends. Errors are logged and
// retried: the API server may not be up yet, nor the ClusterRole applied.
func loop(ctx context.Context, cfg config) error {
	if err := waitForFile(ctx, cfg.kubeconfig, cfg.interval); err != nil {
		return err
	}
	c, err := newCluster(cfg.kubeconfig)
	if err != nil {
		return err
	}
	r := &reconciler{cfg: cfg, cluster: c}
	tick := time.NewTicker(cfg.interval)
	defer tick.Stop()
	var lastErr string
	for {
		if err := r.reconcile(ctx); err != nil && err.Error() != lastErr {
			log.Printf("reconcile: %v (retrying every %s)", err, cfg.interval)
			lastErr = err.Error()
		} else if err == nil {
			lastErr = ""
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func waitForFile(ctx context.Context, path string, every time.Duration) error {
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

type reconciler struct {
	cfg       config
	cluster   *cluster
	host      host
	podRange  netip.Prefix // learned once from kubeadm-config
	setupDone bool         // forwarding and MASQUERADE in place
}

func (r *reconciler) reconcile(ctx context.Context) error {
	if err := r.setup(ctx); err != nil {
		return err
	}
	nodes, err := r.cluster.nodes(ctx)
	if err != nil {
		return fmt.Errorf("listing nodes: %w", err)
	}
	if err := r.writeConflist(nodes); err != nil {
		return err
	}
	return r.syncRoutes(nodes)
}

// setup learns the pod range and applies the one-off host settings.
func (r *reconciler) setup(ctx context.Context) error {
	if r.setupDone {
		return nil
	}
	podRange, err := r.cluster.podSubnet(ctx)
	if err != nil {
		// Retry while the API server is unreachable; fall back only when
		// it answers that the ConfigMap cannot be had (not kubeadm, RBAC).
		if !answered(err) {
			return fmt.Errorf("reading kubeadm-config: %w", err)
		}
		log.Printf("pod range from kubeadm-config: %v; using %s", err, r.cfg.clusterCIDR)
		if podRange, err = netip.ParsePrefix(r.cfg.clusterCIDR); err != nil {
			return fmt.Errorf("--cluster-cidr: %w", err)
		}
	}
	if err := r.host.enableForwarding(); err != nil {
		return err
	}
	if err := r.host.ensureMasquerade(podRange.String()); err != nil {
		return err
	}
	r.podRange, r.setupDone = podRange, true
	log.Printf("pod range %s: forwarding on, masquerading egress", podRange)
	return nil
}

func (r *reconciler) writeConflist(nodes []node) error {
	for _, n := range nodes {
		if n.name != r.cfg.nodeName || n.podCIDR == "" {
			continue
		}
		data, err := conflist(n.podCIDR)
		if err != nil {
			return err
		}
		changed, err := writeIfChanged(r.cfg.conflist, data)
		if changed {
			log.Printf("wrote %s for podCIDR %s", r.cfg.conflist, n.podCIDR)
		}
		return err
	}
	return nil // no podCIDR yet: the next round will see it
}

func (r *reconciler) syncRoutes(nodes []node) error {
	current, err := r.host.routes()
	if err != nil {
		return err
	}
	replace, remove := routeChanges(current, desiredRoutes(nodes, r.cfg.nodeName), r.podRange)
	var errs []error
	for _, rt := range replace {
		if err := r.host.replaceRoute(rt); err != nil {
			errs = append(errs, err)
			continue
		}
		log.Printf("route %s via %s", rt.dst, rt.via)
	}
	for _, rt := range remove {
		if err := r.host.deleteRoute(rt); err != nil {
			errs = append(errs, err)
			continue
		}
		log.Printf("removed route %s via %s", rt.dst, rt.via)
	}
	return errors.Join(errs...)
}
