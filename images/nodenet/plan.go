package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
)

// node is the part of a Node object the pod network needs.
type node struct {
	name       string
	podCIDR    string // IPv4 podCIDR, "" until the controller-manager assigns one
	internalIP string // IPv4 InternalIP, "" until the kubelet reports one
}

// route is an IPv4 route to a pod range through another node.
type route struct {
	dst string // a podCIDR, e.g. 10.244.1.0/24
	via string // the owning node's InternalIP
}

// desiredRoutes returns a route for every other node that has both a
// podCIDR and an InternalIP. A node appears before the controller-manager
// gives it a podCIDR: it is skipped until then.
func desiredRoutes(nodes []node, self string) []route {
	var out []route
	for _, n := range nodes {
		if n.name == self || n.podCIDR == "" || n.internalIP == "" {
			continue
		}
		out = append(out, route{dst: n.podCIDR, via: n.internalIP})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dst < out[j].dst })
	return out
}

// routeChanges compares the routes in the pod range that the kernel has
// (those with a gateway: the bridge's own subnet route has none) with the
// desired ones, and returns what to replace and what to delete.
func routeChanges(current, desired []route, clusterCIDR netip.Prefix) (replace, remove []route) {
	want := map[string]string{}
	for _, r := range desired {
		want[r.dst] = r.via
	}
	have := map[string]string{}
	for _, r := range current {
		if r.via == "" || !inPrefix(r.dst, clusterCIDR) {
			continue
		}
		have[r.dst] = r.via
		if _, ok := want[r.dst]; !ok {
			remove = append(remove, r)
		}
	}
	for _, r := range desired {
		if have[r.dst] != r.via {
			replace = append(replace, r)
		}
	}
	return replace, remove
}

// inPrefix reports whether the network dst lies inside p.
func inPrefix(dst string, p netip.Prefix) bool {
	d, err := netip.ParsePrefix(dst)
	return err == nil && p.Contains(d.Addr()) && d.Bits() >= p.Bits()
}

// conflist renders this node's CNI configuration: a bridge with host-local
// addresses from the node's podCIDR. ipMasq is off: pod-to-pod traffic
// keeps its source address, and the one MASQUERADE rule handles egress.
// IPAM state lives in /run so it does not outlive the node container.
func conflist(podCIDR string) ([]byte, error) {
	if _, err := netip.ParsePrefix(podCIDR); err != nil {
		return nil, fmt.Errorf("podCIDR %q: %w", podCIDR, err)
	}
	type obj = map[string]any
	conf := obj{
		"cniVersion": "1.0.0",
		"name":       "probedrill",
		"plugins": []obj{
			{
				"type":        "bridge",
				"bridge":      "cni0",
				"isGateway":   true,
				"ipMasq":      false,
				"hairpinMode": true,
				"ipam": obj{
					"type":    "host-local",
					"dataDir": "/run/cni-ipam-state",
					"ranges":  [][]obj{{{"subnet": podCIDR}}},
					"routes":  []obj{{"dst": "0.0.0.0/0"}},
				},
			},
			{"type": "portmap", "capabilities": obj{"portMappings": true}},
		},
	}
	b, err := json.MarshalIndent(conf, "", "  ")
	return append(b, '\n'), err
}
