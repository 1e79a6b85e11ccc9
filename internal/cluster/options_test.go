package cluster

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSettingsPerProfile(t *testing.T) {
	defaults := Settings{
		Profile: Single, KubernetesVersion: "v1.37.2", NodeImage: "probedrill/node:v1.37.2", Nodes: 1,
		MaxContainerRestartPeriod: 300 * time.Second, NodeMonitorGracePeriod: 50 * time.Second,
		NotReadyTolerationSeconds: 300, UnreachableTolerationSeconds: 300,
	}
	fast := func(s Settings) Settings {
		s.FastNodeFailure, s.NodeMonitorGracePeriod = true, 20*time.Second
		s.NotReadyTolerationSeconds, s.UnreachableTolerationSeconds = 10, 10
		return s
	}
	multi := defaults
	multi.Profile, multi.Nodes = Multi, 3
	capped := defaults
	capped.MaxContainerRestartPeriod = 30 * time.Second
	slowMulti := multi

	cases := []struct {
		name string
		opts []Option
		want Settings
	}{
		{"no options", nil, defaults},
		{"single", []Option{WithProfile(Single)}, defaults},
		{"multi is fast by default", []Option{WithProfile(Multi)}, fast(multi)},
		{"multi with the defaults", []Option{WithProfile(Multi), WithFastNodeFailure(false)}, slowMulti},
		{"single made fast", []Option{WithFastNodeFailure(true)}, fast(defaults)},
		{"back-off cap", []Option{WithMaxRestartPeriod(30 * time.Second)}, capped},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, newConfig(c.opts...).settings()); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := newConfig(WithProfile("triple"), WithMaxRestartPeriod(500*time.Millisecond), WithReadyTimeout(0)).Validate()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{`unknown profile "triple": use one of single, multi`, "max restart period 500ms is out of range", "ready timeout must be positive"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	for _, ok := range []time.Duration{0, time.Second, 30 * time.Second, 300 * time.Second} {
		if err := newConfig(WithMaxRestartPeriod(ok)).Validate(); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	if err := newConfig(WithMaxRestartPeriod(301 * time.Second)).Validate(); err == nil {
		t.Error("301s must be refused: the kubelet accepts at most 300s")
	}
}

func TestConflictsOnlyForExplicitOptions(t *testing.T) {
	multi := newConfig(WithProfile(Multi)).settings()
	cases := []struct {
		name        string
		opts        []Option
		want, flags []string
	}{
		{"plain up reuses anything", nil, nil, nil},
		{"same profile", []Option{WithProfile(Multi)}, nil, nil},
		{"other profile", []Option{WithProfile(Single)}, []string{"profile is multi, asked for single"}, []string{"--profile single"}},
		{"other back-off cap", []Option{WithMaxRestartPeriod(10 * time.Second)},
			[]string{"max restart period is 300s, asked for 10s"}, []string{"--max-restart-period 10s"}},
		{"other node-failure timing", []Option{WithFastNodeFailure(false)},
			[]string{"fast node failure is true, asked for false"}, []string{"--fast-node-failure=false"}},
		{"other node image", []Option{WithNodeImage("probedrill/node:dev")},
			[]string{"node image is probedrill/node:v1.37.2, asked for probedrill/node:dev"}, []string{"--node-image probedrill/node:dev"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diffs, flags := newConfig(c.opts...).conflicts(multi)
			if diff := cmp.Diff(c.want, diffs); diff != "" {
				t.Errorf("conflicts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.flags, flags); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseProfile(t *testing.T) {
	if ParseProfile("multi") != Multi || ParseProfile("single") != Single || ParseProfile("Multi") != "" {
		t.Error("profiles are matched exactly")
	}
}
