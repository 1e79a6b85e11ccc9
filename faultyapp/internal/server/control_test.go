package server

import (
	"strings"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

func TestControlOffByDefault(t *testing.T) {
	rg := newRig(t, func(c *config.Config) {})
	code, body := rg.do(t, "POST", "/fault?fault=hang")
	if code != 403 || !strings.Contains(body, "-control") {
		t.Errorf("got %d %q", code, body)
	}
	if rg.eng.Config().Fault != config.None {
		t.Error("fault changed with control off")
	}
}

func TestControl(t *testing.T) {
	cases := []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/fault", 200, "fault=none requests=1\n"},
		{"POST", "/fault?fault=foo", 400, `fault="foo" is not a fault; use one of: none, fail-after,`},
		{"POST", "/fault", 400, "say which fault: fault=NAME, one of: none, fail-after"},
		{"POST", "/fault?fault=slow-start", 400, "slow-start acts before listening"},
		{"POST", "/fault?fault=dependency", 400, "-fault dependency needs -dependency URL"},
		{"POST", "/fault?fault=hang&addr=:1", 400, `"addr" cannot be changed at run time`},
		{"POST", "/fault?fault=flaky&p=2", 400, `p="2" is not a probability`},
		{"PUT", "/fault", 405, "use GET to see the fault"},
		{"POST", "/fault?fault=crash&after=2&exit-code=3", 200, "fault=crash after=2 exit-code=3\n"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rg := newRig(t, func(c *config.Config) { c.Control = true })
			code, body := rg.do(t, tc.method, tc.path)
			if code != tc.code || !strings.HasPrefix(body, tc.body) {
				t.Errorf("got %d %q, want %d %q", code, body, tc.code, tc.body)
			}
		})
	}
}

func TestControlSwitchCountsFromNow(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Control = true })
	for range 7 {
		rg.do(t, "GET", "/")
	}
	if code, _ := rg.do(t, "POST", "/fault?fault=fail-after&after=1"); code != 200 {
		t.Fatal("switch refused")
	}
	c1, _ := rg.do(t, "GET", "/")
	c2, _ := rg.do(t, "GET", "/")
	if c1 != 200 || c2 != 500 {
		t.Errorf("after switching with after=1: %d %d, want 200 500", c1, c2)
	}
	rg.log.waitFor(t, "control: fault none -> fault=fail-after after=1 (from request 9)")
	rg.log.waitFor(t, "#8 POST /fault 200 switched to fail-after from")
}
