package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const freshKubeconfig = `apiVersion: v1
kind: Config
current-context: kind-probedrill
clusters:
- name: kind-probedrill
  cluster: {server: "https://127.0.0.1:41759", certificate-authority-data: Q0E=}
contexts:
- name: kind-probedrill
  context: {cluster: kind-probedrill, user: kind-probedrill}
users:
- name: kind-probedrill
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
`

func TestCurrentKubeconfig(t *testing.T) {
	cases := []struct {
		name string
		file string // "" means no file
		want bool
	}{
		{"same context, selected", freshKubeconfig, true},
		{"no kubeconfig yet", "", false},
		{"the API server moved to another port", strings.Replace(freshKubeconfig, "41759", "40000", 1), false},
		{"new credentials", strings.Replace(freshKubeconfig, "S0VZ", "TkVX", 1), false},
		{"another context selected", strings.Replace(freshKubeconfig, "current-context: kind-probedrill", "current-context: prod", 1), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			if c.file != "" {
				if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if got := current(path, freshKubeconfig); got != c.want {
				t.Errorf("current = %v, want %v", got, c.want)
			}
		})
	}
}
