package main

import (
	"errors"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestParsePodSubnet(t *testing.T) {
	cases := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "kind default", in: "apiVersion: kubeadm.k8s.io/v1beta4\nnetworking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/16\n", want: "10.244.0.0/16"},
		{name: "dual stack v6 first", in: "networking:\n  podSubnet: fd00:10:244::/56,10.244.0.0/16\n", want: "10.244.0.0/16"},
		{name: "missing", in: "networking: {}\n", wantErr: true},
		{name: "not yaml", in: "networking: [", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePodSubnet(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil && got.String() != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFromNode(t *testing.T) {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "w1"},
		Spec:       corev1.NodeSpec{PodCIDR: "10.244.1.0/24", PodCIDRs: []string{"fd00::/64", "10.244.1.0/24"}},
		Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{
			{Type: corev1.NodeHostName, Address: "w1"},
			{Type: corev1.NodeInternalIP, Address: "fc00::3"},
			{Type: corev1.NodeInternalIP, Address: "172.18.0.3"},
		}},
	}
	if got, want := fromNode(n), (node{name: "w1", podCIDR: "10.244.1.0/24", internalIP: "172.18.0.3"}); got != want {
		t.Fatalf("fromNode = %+v, want %+v", got, want)
	}
	bare := fromNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "new"}})
	if bare.podCIDR != "" || bare.internalIP != "" {
		t.Fatalf("node without podCIDR/IP gave %+v", bare)
	}
}

func TestAnswered(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{name: "not found", err: apierrors.NewNotFound(schema.GroupResource{Resource: "configmaps"}, "kubeadm-config"), want: true},
		{name: "forbidden", err: apierrors.NewForbidden(schema.GroupResource{Resource: "configmaps"}, "kubeadm-config", errors.New("no")), want: true},
		{name: "no pod subnet", err: fmt.Errorf("x: %w", errNoPodSubnet), want: true},
		{name: "connection refused", err: errors.New("dial tcp 172.18.0.2:6443: connect: connection refused"), want: false},
	}
	for _, tc := range cases {
		if got := answered(tc.err); got != tc.want {
			t.Errorf("%s: answered = %v, want %v", tc.name, got, tc.want)
		}
	}
}
