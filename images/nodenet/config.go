package main

import "time"

// config is what one nodenet process works with.
type config struct {
	kubeconfig  string
	nodeName    string
	conflist    string
	clusterCIDR string
	interval    time.Duration
}

// Defaults match a kind node set up by kubeadm.
const (
	defaultKubeconfig  = "/etc/kubernetes/kubelet.conf"
	defaultConflist    = "/etc/cni/net.d/10-probedrill.conflist"
	defaultClusterCIDR = "10.244.0.0/16" // kind's default podSubnet
	defaultInterval    = 3 * time.Second
)

func defaultConfig(hostname string) config {
	return config{
		kubeconfig:  defaultKubeconfig,
		nodeName:    hostname,
		conflist:    defaultConflist,
		clusterCIDR: defaultClusterCIDR,
		interval:    defaultInterval,
	}
}
