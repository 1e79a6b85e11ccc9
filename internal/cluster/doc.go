// Package cluster runs probedrill's own kind cluster through the kind Go API
// (sigs.k8s.io/kind/pkg/cluster, v0.33.0): it creates the cluster named
// "probedrill" from the offline node image, or reuses it when it is already
// there (starting its node containers again if the Docker engine died under
// them), loads images into it, waits until its nodes are Ready and its DNS
// answers, records the kubelet settings the predictor needs, and deletes it.
//
// It never shells out to kind or kubectl; the only command it runs is docker,
// through kind's own exec package, as kind itself does.
//
// Guard refuses kube contexts that are not this cluster, so that suites and
// the CLI cannot touch a real cluster by accident.
package cluster
