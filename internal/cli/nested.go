package cli

import (
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/log"
)

// Nested returns a logger for a library that prints its own kind-style steps
// (kind's cluster create: " • Preparing nodes 📦  ...", " ✓ Preparing nodes 📦").
// Its step starts become the detail of s's current step, its other V(0) lines
// are demoted to V(1), and warnings and errors pass through to parent.
// quiet lists substrings of warnings known to be harmless here; those are
// demoted to V(1) as well.
func Nested(parent log.Logger, s *Status, quiet ...string) log.Logger {
	return &nested{parent: parent, status: s, quiet: quiet}
}

type nested struct {
	parent log.Logger
	status *Status
	quiet  []string
}

func (n *nested) Warn(msg string) {
	for _, q := range n.quiet {
		if strings.Contains(msg, q) {
			n.parent.V(1).Info(msg)
			return
		}
	}
	n.parent.Warn(msg)
}

func (n *nested) Warnf(format string, args ...any) { n.Warn(fmt.Sprintf(format, args...)) }
func (n *nested) Error(msg string)                 { n.parent.Error(msg) }
func (n *nested) Errorf(format string, args ...any) {
	n.parent.Errorf(format, args...)
}

func (n *nested) V(level log.Level) log.InfoLogger {
	if level > 0 {
		return n.parent.V(level)
	}
	return nestedInfo{n: n}
}

type nestedInfo struct{ n *nested }

// Enabled is true: V(0) lines are always consumed, as details or debug lines.
func (i nestedInfo) Enabled() bool { return true }

func (i nestedInfo) Info(msg string) {
	if step, ok := stepStart(msg); ok {
		i.n.status.Detail(step)
		return
	}
	i.n.parent.V(1).Info(strings.TrimSpace(msg))
}

func (i nestedInfo) Infof(format string, args ...any) { i.Info(fmt.Sprintf(format, args...)) }

// stepStart recognises the line kind's Status prints when a step starts
// without a spinner (pkg/internal/cli/status.go: " • %s  ...\n").
func stepStart(msg string) (string, bool) {
	msg = strings.TrimSpace(msg)
	if !strings.HasPrefix(msg, "• ") || !strings.HasSuffix(msg, "...") {
		return "", false
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(msg, "• "), "...")), true
}
