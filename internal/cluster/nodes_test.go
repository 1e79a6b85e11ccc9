package cluster

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseInspect(t *testing.T) {
	got, err := parseInspect([]string{
		"/probedrill-worker2\tid3\tworker\texited",
		"/probedrill-worker\tid2\tworker\trunning",
		"/probedrill-control-plane\tid1\tcontrol-plane\texited",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []container{
		{Name: "probedrill-control-plane", ID: "id1", Role: "control-plane", Status: "exited"},
		{Name: "probedrill-worker", ID: "id2", Role: "worker", Status: "running"},
		{Name: "probedrill-worker2", ID: "id3", Role: "worker", Status: "exited"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"probedrill-control-plane", "probedrill-worker2"}, containerNames(stopped(got))); diff != "" {
		t.Errorf("stopped, control plane first (-want +got):\n%s", diff)
	}
	if _, err := parseInspect([]string{"garbage"}); err == nil {
		t.Error("want an error for a malformed line")
	}
}
