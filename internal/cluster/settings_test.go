package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/client-go/kubernetes/fake"
)

func TestSettingsRoundTrip(t *testing.T) {
	for _, opts := range [][]Option{
		nil,
		{WithProfile(Multi)},
		{WithMaxRestartPeriod(1500 * time.Millisecond), WithFastNodeFailure(true)},
	} {
		s := newConfig(opts...).settings()
		got, err := ParseSettings(s.Data())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

func TestSettingsDataReadsWell(t *testing.T) {
	want := map[string]string{
		"profile":                             "multi",
		"kubernetesVersion":                   "v1.37.2",
		"nodeImage":                           "probedrill/node:v1.37.2",
		"nodes":                               "3",
		"maxContainerRestartPeriod":           "300s",
		"fastNodeFailure":                     "true",
		"nodeMonitorGracePeriod":              "20s",
		"defaultNotReadyTolerationSeconds":    "10",
		"defaultUnreachableTolerationSeconds": "10",
	}
	if diff := cmp.Diff(want, newConfig(WithProfile(Multi)).settings().Data()); diff != "" {
		t.Errorf("ConfigMap data (-want +got):\n%s", diff)
	}
}

func TestParseSettingsReportsEveryProblem(t *testing.T) {
	data := newConfig().settings().Data()
	delete(data, "nodes")
	data["profile"] = "triple"
	data["maxContainerRestartPeriod"] = "soon"
	data["fastNodeFailure"] = "maybe"
	data["colour"] = "blue"
	_, err := ParseSettings(data)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{
		"nodes: missing",
		`profile: unknown profile "triple"`,
		`maxContainerRestartPeriod: "soon" is not a duration`,
		`fastNodeFailure: "maybe" is not true or false`,
		"colour: unknown key",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestWriteAndReadSettings(t *testing.T) {
	ctx := context.Background()
	cs := fake.NewClientset()
	if _, err := ReadSettings(ctx, cs); err == nil || !strings.Contains(err.Error(), "probedrill up") {
		t.Errorf("a cluster without settings should point at probedrill up, got %v", err)
	}
	first := newConfig().settings()
	second := newConfig(WithProfile(Multi), WithMaxRestartPeriod(20*time.Second)).settings()
	for _, s := range []Settings{first, second} { // the second write replaces the first
		if err := WriteSettings(ctx, cs, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSettings(ctx, cs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("read back (-want +got):\n%s", diff)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		300 * time.Second:       "300s",
		20 * time.Second:        "20s",
		1500 * time.Millisecond: "1.5s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
