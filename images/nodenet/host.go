package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// host changes this node's network namespace and files. It is the only
// place nodenet executes commands (iproute2 and iptables from the image).
type host struct{}

// routes returns the IPv4 main-table routes (ip -j output).
func (host) routes() ([]route, error) {
	out, err := command("ip", "-4", "-j", "route", "show", "table", "main")
	if err != nil {
		return nil, err
	}
	return parseIPRoutes(out)
}

// parseIPRoutes reads `ip -j route show` output; "default" routes are skipped.
func parseIPRoutes(out []byte) ([]route, error) {
	var raw []struct {
		Dst     string `json:"dst"`
		Gateway string `json:"gateway"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &raw); err != nil {
		return nil, fmt.Errorf("parsing ip route output: %w", err)
	}
	routes := make([]route, 0, len(raw))
	for _, r := range raw {
		if r.Dst == "default" {
			continue
		}
		dst := r.Dst
		if !strings.Contains(dst, "/") {
			dst += "/32"
		}
		routes = append(routes, route{dst: dst, via: r.Gateway})
	}
	return routes, nil
}

func (host) replaceRoute(r route) error {
	_, err := command("ip", "route", "replace", r.dst, "via", r.via)
	return err
}

func (host) deleteRoute(r route) error {
	_, err := command("ip", "route", "del", r.dst, "via", r.via)
	return err
}

// enableForwarding turns on IPv4 forwarding in the node's namespace.
func (host) enableForwarding() error {
	return os.WriteFile("/proc/sys/net/ipv4/ip_forward", []byte("1\n"), 0o644)
}

// ensureMasquerade adds, once, the rule that hides pod addresses behind the
// node's for traffic leaving the pod range.
func (host) ensureMasquerade(podRange string) error {
	rule := []string{"POSTROUTING", "-s", podRange, "!", "-d", podRange,
		"-m", "comment", "--comment", "probedrill-nodenet", "-j", "MASQUERADE"}
	if _, err := command("iptables", append([]string{"-w", "-t", "nat", "-C"}, rule...)...); err == nil {
		return nil
	}
	_, err := command("iptables", append([]string{"-w", "-t", "nat", "-A"}, rule...)...)
	return err
}

// writeIfChanged replaces path with data atomically (rename in the same
// directory), and only when the content differs, so the runtime never sees
// a half-written conflist and is not poked for nothing.
func writeIfChanged(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".nodenet-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) //nolint:errcheck // gone after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close() //nolint:errcheck // already failing
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), path)
}

func command(name string, args ...string) ([]byte, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return out, nil
}
