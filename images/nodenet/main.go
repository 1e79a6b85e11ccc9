// Command nodenet is probedrill's pod network for kind nodes built offline
// (kindnet is not on the Go module proxy). Every few seconds it reads all
// Node objects with the kubelet's credentials and makes this node match:
//
//   - a bridge + host-local CNI conflist for this node's spec.podCIDR,
//     written atomically and only when it changes;
//   - a route to every other node's podCIDR via that node's InternalIP;
//   - net.ipv4.ip_forward=1 and one MASQUERADE rule for pod traffic leaving
//     the cluster's pod range.
//
// It runs as a systemd unit in the node image. Nodes may list other nodes
// only through the ClusterRole shipped in /kind/manifests/default-cni.yaml
// (the Node authorizer alone forbids it in Kubernetes 1.37).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "nodenet:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return loop(ctx, cfg)
}

func parseFlags(args []string) (config, error) {
	hostname, _ := os.Hostname()
	cfg := defaultConfig(hostname)
	fs := flag.NewFlagSet("nodenet", flag.ContinueOnError)
	fs.StringVar(&cfg.kubeconfig, "kubeconfig", cfg.kubeconfig, "kubeconfig with this node's credentials")
	fs.StringVar(&cfg.nodeName, "node-name", cfg.nodeName, "this node's name (kind: the container's hostname)")
	fs.StringVar(&cfg.conflist, "conflist", cfg.conflist, "CNI conflist to write")
	fs.StringVar(&cfg.clusterCIDR, "cluster-cidr", cfg.clusterCIDR, "pod range, used when kube-system/kubeadm-config does not say")
	fs.DurationVar(&cfg.interval, "interval", cfg.interval, "time between reconciliations")
	return cfg, fs.Parse(args)
}
