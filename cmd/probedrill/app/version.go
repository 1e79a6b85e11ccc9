package app

import (
	"fmt"
	"runtime/debug"

	"github.com/probedrill/probedrill/internal/cluster"
	"github.com/probedrill/probedrill/internal/render"
)

// version says which probedrill this is — its module version, or the git
// commit a checkout was built from — and what it drills: the Kubernetes of
// the node image and the faultyapp image the scenarios run. A bug report
// needs all three.
func version() string {
	return fmt.Sprintf("%s, Kubernetes %s, faultyapp %s", build(), cluster.KubernetesVersion, render.DefaultImage)
}

// build is the module version from the binary's build info, with the
// commit and whether the tree had changes when it was built from one.
func build() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = ", modified"
		}
	}
	if rev == "" {
		return v
	}
	return fmt.Sprintf("%s (commit %s%s)", v, rev, dirty)
}
