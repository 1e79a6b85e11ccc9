# shellcheck shell=bash
# images/versions.sh: what the offline images are built from. Sourced by
# images/build.sh; every value here is part of the cache key of the steps
# that use it, so changing one rebuilds exactly those steps.
# shellcheck disable=SC2034 # the values are used by the scripts that source this file

KUBERNETES_VERSION=v1.37.2 # also pinned in images/kube/go.mod
CONTAINERD_VERSION=v2.3.4
CONTAINERD_TAGS="no_aufs no_zfs no_btrfs no_devmapper"
CRICTL_VERSION=v1.37.0
ETCD_VERSION=3.7.0 # pinned in images/etcd/go.mod
ETCD_IMAGE_TAG=3.7.0-0
COREDNS_VERSION=v1.14.6 # pinned in images/coredns/go.mod
PAUSE_VERSION=3.10.2    # also in images/pause/main.go and the node's containerd config
NETTEST_IMAGE=docker.io/probedrill/nettest:v0.1.0

DEBIAN_SUITE=bookworm

# The node image's name; the Makefile passes NODE_IMAGE.
NODE_IMAGE=${NODE_IMAGE:-probedrill/node:$KUBERNETES_VERSION}
# Label on the node image holding the hash of everything it was built from.
NODE_HASH_LABEL=io.probedrill.inputs
