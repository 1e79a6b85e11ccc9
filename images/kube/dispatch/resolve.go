// Package dispatch picks the component a multi-call binary runs as.
package dispatch

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Resolve picks the component from argv[0]'s base name, or else from argv[1]
// ("kube kubelet --version"), and returns the argument vector that component
// should see, with its own name as argv[0].
func Resolve[T any](argv []string, known map[string]T) (string, []string, error) {
	if len(argv) == 0 {
		return "", nil, fmt.Errorf("kube: empty argument vector")
	}
	if name := filepath.Base(argv[0]); has(known, name) {
		return name, append([]string{name}, argv[1:]...), nil
	}
	if len(argv) > 1 && has(known, argv[1]) {
		return argv[1], argv[1:], nil
	}
	return "", nil, fmt.Errorf("kube: run as one of %s (a link named so, or as the first argument)",
		strings.Join(names(known), ", "))
}

func has[T any](m map[string]T, k string) bool {
	_, ok := m[k]
	return ok
}

func names[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
