package cluster

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const kubeconfigYAML = `apiVersion: v1
kind: Config
current-context: %s
clusters:
- name: kind-probedrill
  cluster: {server: "https://127.0.0.1:40123"}
- name: prod
  cluster: {server: "https://10.0.0.1:6443"}
- name: impostor
  cluster: {server: "https://192.168.1.5:6443"}
contexts:
- name: kind-probedrill
  context: {cluster: kind-probedrill, user: kind-probedrill}
- name: prod
  context: {cluster: prod, user: prod}
- name: kind-probedrill-remote
  context: {cluster: impostor, user: prod}
- name: dangling
  context: {cluster: nowhere, user: prod}
users:
- name: kind-probedrill
  user: {token: abc}
- name: prod
  user: {token: def}
`

func writeKubeconfig(t *testing.T, current string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config")
	content := strings.Replace(kubeconfigYAML, "%s", current, 1)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestGuard(t *testing.T) {
	cases := []struct {
		name    string
		current string
		context string
		optIn   bool
		wantErr string // "" means accepted
	}{
		{"probedrill as current context", "kind-probedrill", "", false, ""},
		{"probedrill named explicitly", "prod", "kind-probedrill", false, ""},
		{"production", "prod", "", false, `refusing kube context "prod"`},
		{"production named explicitly", "kind-probedrill", "prod", false, `refusing kube context "prod"`},
		{"production with the opt-in", "prod", "", true, ""},
		{"right name, remote server", "kind-probedrill", "kind-probedrill-remote", false, `refusing kube context "kind-probedrill-remote"`},
		{"no current context", `""`, "", false, "no kube context is selected"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Guard(writeKubeconfig(t, c.current), c.context, c.optIn)
			if c.wantErr == "" {
				if err != nil {
					t.Errorf("want accepted, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("want error containing %q, got %v", c.wantErr, err)
			}
			if !strings.Contains(err.Error(), "--"+OptInFlag) {
				t.Errorf("a refusal must name the opt-in flag: %v", err)
			}
			if !errors.Is(err, ErrRefused) {
				t.Errorf("a refusal must be ErrRefused, so callers report it first: %v", err)
			}
		})
	}
}

func TestRESTConfigPointsAtTheContext(t *testing.T) {
	cfg, err := RESTConfig(writeKubeconfig(t, "prod"), "kind-probedrill", false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "https://127.0.0.1:40123" || cfg.BearerToken != "abc" {
		t.Errorf("got host %q token %q", cfg.Host, cfg.BearerToken)
	}
}

func TestGuardRemoteServerNamedLikeOurs(t *testing.T) {
	// A context renamed to kind-probedrill but pointing elsewhere is refused.
	path := filepath.Join(t.TempDir(), "config")
	content := strings.Replace(kubeconfigYAML, "- name: kind-probedrill\n  context: {cluster: kind-probedrill,", "- name: kind-probedrill\n  context: {cluster: prod,", 1)
	content = strings.Replace(content, "%s", "kind-probedrill", 1)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Guard(path, "", false); err == nil || !strings.Contains(err.Error(), "not on 127.0.0.1") {
		t.Errorf("want a refusal for a remote server, got %v", err)
	}
}

func TestIsLoopback(t *testing.T) {
	for server, want := range map[string]bool{
		"https://127.0.0.1:40123": true,
		"https://127.0.0.1":       true,
		"https://localhost:6443":  false, // kind writes the IP; a name could resolve anywhere
		"https://10.0.0.1:6443":   false,
		"::not a url":             false,
	} {
		if got := isLoopback(server); got != want {
			t.Errorf("isLoopback(%q) = %v", server, got)
		}
	}
}
