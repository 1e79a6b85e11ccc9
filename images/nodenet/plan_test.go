package main

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"testing"
)

var podRange = netip.MustParsePrefix("10.244.0.0/16")

func TestDesiredRoutes(t *testing.T) {
	nodes := []node{
		{name: "worker2", podCIDR: "10.244.2.0/24", internalIP: "172.18.0.4"},
		{name: "cp", podCIDR: "10.244.0.0/24", internalIP: "172.18.0.2"},
		{name: "worker", podCIDR: "10.244.1.0/24", internalIP: "172.18.0.3"},
		{name: "fresh", internalIP: "172.18.0.5"}, // no podCIDR yet: the trap
		{name: "noip", podCIDR: "10.244.4.0/24"},  // no InternalIP yet
	}
	got := desiredRoutes(nodes, "worker")
	want := []route{
		{dst: "10.244.0.0/24", via: "172.18.0.2"},
		{dst: "10.244.2.0/24", via: "172.18.0.4"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("desiredRoutes = %v, want %v", got, want)
	}
}

func TestRouteChanges(t *testing.T) {
	cases := []struct {
		name                 string
		current, desired     []route
		wantReplace, wantDel []route
	}{
		{
			name:        "fresh node adds all",
			current:     []route{{dst: "172.18.0.0/16"}},
			desired:     []route{{dst: "10.244.0.0/24", via: "172.18.0.2"}},
			wantReplace: []route{{dst: "10.244.0.0/24", via: "172.18.0.2"}},
		},
		{
			name:    "in sync does nothing",
			current: []route{{dst: "10.244.0.0/24", via: "172.18.0.2"}, {dst: "10.244.1.0/24"}},
			desired: []route{{dst: "10.244.0.0/24", via: "172.18.0.2"}},
		},
		{
			name:        "node moved to a new IP",
			current:     []route{{dst: "10.244.2.0/24", via: "172.18.0.9"}},
			desired:     []route{{dst: "10.244.2.0/24", via: "172.18.0.4"}},
			wantReplace: []route{{dst: "10.244.2.0/24", via: "172.18.0.4"}},
		},
		{
			name:    "departed node's route removed, foreign routes kept",
			current: []route{{dst: "10.244.3.0/24", via: "172.18.0.5"}, {dst: "192.168.0.0/24", via: "172.18.0.1"}},
			wantDel: []route{{dst: "10.244.3.0/24", via: "172.18.0.5"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, del := routeChanges(tc.current, tc.desired, podRange)
			if !reflect.DeepEqual(rep, tc.wantReplace) || !reflect.DeepEqual(del, tc.wantDel) {
				t.Fatalf("replace %v delete %v, want %v and %v", rep, del, tc.wantReplace, tc.wantDel)
			}
		})
	}
}

func TestConflist(t *testing.T) {
	data, err := conflist("10.244.1.0/24")
	if err != nil {
		t.Fatal(err)
	}
	var conf struct {
		CNIVersion string `json:"cniVersion"`
		Plugins    []struct {
			Type   string `json:"type"`
			IPMasq *bool  `json:"ipMasq"`
			IPAM   struct {
				Ranges [][]struct {
					Subnet string `json:"subnet"`
				} `json:"ranges"`
			} `json:"ipam"`
		} `json:"plugins"`
	}
	if err := json.Unmarshal(data, &conf); err != nil {
		t.Fatalf("conflist is not JSON: %v\n%s", err, data)
	}
	if len(conf.Plugins) != 2 || conf.Plugins[0].Type != "bridge" || conf.Plugins[1].Type != "portmap" {
		t.Fatalf("plugins = %+v, want bridge then portmap", conf.Plugins)
	}
	if m := conf.Plugins[0].IPMasq; m == nil || *m {
		t.Errorf("bridge ipMasq must be explicitly false (pod source IPs are kept)")
	}
	if s := conf.Plugins[0].IPAM.Ranges[0][0].Subnet; s != "10.244.1.0/24" {
		t.Errorf("subnet = %q", s)
	}
}

func TestConflistRejectsNonCIDR(t *testing.T) {
	// The trap from the trial: a node IP where a podCIDR belongs.
	if _, err := conflist("172.18.0.3"); err == nil {
		t.Fatal("conflist accepted an address without a prefix length")
	}
}
