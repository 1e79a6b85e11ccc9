package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestNestedTurnsKindStepsIntoDetails(t *testing.T) {
	var out bytes.Buffer
	parent := NewLogger(&out, 0)
	s := StatusForLogger(parent)
	s.Start("Creating cluster probedrill (single, v1.37.2)")
	kind := Nested(parent, s, "cgroup v1 is deprecated")
	kind.V(0).Infof("Creating cluster %q ...\n", "probedrill")
	kind.V(0).Infof(" • %s  ...\n", "Preparing nodes 📦")
	kind.V(0).Infof(" ✓ %s\n", "Preparing nodes 📦")
	kind.Warn("cgroup v1 is deprecated in Kubernetes and will not be supported in a future kind release, please upgrade to cgroup v2")
	kind.Warn("something kind wants the user to see")
	if got := s.detail; got != "Preparing nodes 📦" {
		t.Errorf("detail = %q", got)
	}
	got := out.String()
	if strings.Contains(got, "Preparing nodes") || strings.Contains(got, "cgroup v1") {
		t.Errorf("kind's own lines should be demoted to -v 1:\n%s", got)
	}
	if !strings.Contains(got, "something kind wants the user to see") {
		t.Errorf("other warnings must pass through:\n%s", got)
	}

	out.Reset()
	parent.SetVerbosity(1)
	kind.V(0).Infof(" • %s  ...\n", "Writing configuration 📜")
	kind.V(0).Info("Set kubectl context to \"kind-probedrill\"")
	if !strings.Contains(out.String(), "DEBUG: Writing configuration 📜") || !strings.Contains(out.String(), "kind-probedrill") {
		t.Errorf("with -v 1 kind's lines show as debug lines:\n%s", out.String())
	}
}

func TestStepStart(t *testing.T) {
	for in, want := range map[string]string{
		" • Ensuring node image (probedrill/node:v1.37.2) 🖼  ...\n": "Ensuring node image (probedrill/node:v1.37.2) 🖼",
		" ✓ Ensuring node image\n":                                  "",
		"Creating cluster \"probedrill\" ...\n":                     "",
	} {
		got, ok := stepStart(in)
		if ok != (want != "") || got != want {
			t.Errorf("stepStart(%q) = %q, %v", in, got, ok)
		}
	}
}
