package dispatch

import (
	"reflect"
	"testing"
)

func TestResolve(t *testing.T) {
	known := map[string]bool{"kubelet": true, "kubeadm": true}
	cases := []struct {
		name     string
		argv     []string
		wantName string
		wantArgs []string
		wantErr  bool
	}{
		{name: "link name", argv: []string{"/usr/bin/kubelet", "--version"}, wantName: "kubelet", wantArgs: []string{"kubelet", "--version"}},
		{name: "bare link name", argv: []string{"kubeadm"}, wantName: "kubeadm", wantArgs: []string{"kubeadm"}},
		{name: "subcommand", argv: []string{"/usr/local/bin/kube", "kubeadm", "version"}, wantName: "kubeadm", wantArgs: []string{"kubeadm", "version"}},
		{name: "unknown link", argv: []string{"kube", "etcd"}, wantErr: true},
		{name: "no component", argv: []string{"kube"}, wantErr: true},
		{name: "empty", argv: nil, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name, args, err := Resolve(tc.argv, known)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if name != tc.wantName || !reflect.DeepEqual(args, tc.wantArgs) {
				t.Fatalf("got %q %q, want %q %q", name, args, tc.wantName, tc.wantArgs)
			}
		})
	}
}
