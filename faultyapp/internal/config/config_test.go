package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Parse(nil, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.Fault != None || c.After != 5 || c.ExitCode != 1 ||
		c.OnSigterm != SigtermExit || c.Control || c.HealthFile != "/tmp/healthy" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagsAndEnv(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want func(Config) bool
	}{
		{"flags", []string{"-fault", "fail-after", "-after", "3", "-control"}, nil,
			func(c Config) bool { return c.Fault == FailAfter && c.After == 3 && c.Control }},
		{"env", nil, map[string]string{"FAULTYAPP_FAULT": "hang", "FAULTYAPP_AFTER_TIME": "10s", "FAULTYAPP_CONTROL": "true"},
			func(c Config) bool { return c.Fault == Hang && c.AfterTime == 10*time.Second && c.Control }},
		{"flag wins over env", []string{"-fault", "crash"}, map[string]string{"FAULTYAPP_FAULT": "hang"},
			func(c Config) bool { return c.Fault == Crash }},
		{"dashes become underscores", nil, map[string]string{"FAULTYAPP_HEALTH_FILE": "/x", "FAULTYAPP_ON_SIGTERM": "drain"},
			func(c Config) bool { return c.HealthFile == "/x" && c.OnSigterm == SigtermDrain }},
		{"probability", []string{"-fault=flaky", "-p=1", "-seed=7"}, nil,
			func(c Config) bool { return c.P == 1 && c.Seed == 7 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.args, envOf(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(c) {
				t.Errorf("got %+v", c)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-fault", "foo"}, nil, `-fault "foo" is not a fault; use one of: none, fail-after, hang, deadlock, crash, slow-start, tcp-close, exec-file, leak, flaky, heavy-health, dependency, auth-health, grpc`},
		{nil, map[string]string{"FAULTYAPP_FAULT": "foo"}, `FAULTYAPP_FAULT="foo" is not a fault; use one of: none,`},
		{[]string{"-after", "-1"}, nil, `-after "-1" is not a count`},
		{[]string{"-p", "1.5"}, nil, `-p "1.5" is not a probability`},
		{[]string{"-p", "NaN"}, nil, `-p "NaN" is not a probability`},
		{[]string{"-on-sigterm", "stop"}, nil, `-on-sigterm "stop" is not a SIGTERM mode; use one of: exit, drain, ignore`},
		{[]string{"-exit-code", "256"}, nil, `-exit-code "256" is not an exit code; use 0 to 255`},
		{[]string{"-startup", "soon"}, nil, `-startup "soon" is not a duration`},
		{[]string{"-startup", "-1s"}, nil, `-startup "-1s" is negative`},
		{[]string{"-addr", "8080"}, nil, `-addr "8080" is not a listen address`},
		{[]string{"-dependency", "db:5432"}, nil, `-dependency "db:5432" is not an http URL`},
		{[]string{"-leak-rate", "0"}, nil, `-leak-rate "0" is not a leak rate`},
		{[]string{"-nope"}, nil, `flag provided but not defined: -nope (see faultyapp -help)`},
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
		{[]string{"-fault", "slow-start"}, nil, `-fault slow-start needs -startup > 0`},
		{[]string{"-fault", "dependency"}, nil, `-fault dependency needs -dependency URL`},
		{[]string{"-fault", "auth-health", "-token", ""}, nil, `-fault auth-health needs a -token`},
		{[]string{"-fault", "heavy-health", "-cost", "0s"}, nil, `-fault heavy-health needs -cost > 0`},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			_, err := Parse(tc.args, envOf(tc.env))
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a *UsageError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q\nwant prefix %q", err, tc.want)
			}
		})
	}
}

func TestEveryProblemReported(t *testing.T) {
	_, err := Parse([]string{"-fault", "foo", "-p", "2"}, noEnv)
	if n := strings.Count(err.Error(), "\n") + 1; n != 2 {
		t.Errorf("%d lines, want 2:\n%v", n, err)
	}
}

func TestHelp(t *testing.T) {
	if _, err := Parse([]string{"-help"}, noEnv); !errors.Is(err, ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	var b bytes.Buffer
	Usage(&b)
	for _, f := range Faults() {
		if !strings.Contains(b.String(), "  "+string(f)+" ") {
			t.Errorf("--help does not list fault %s", f)
		}
	}
	for _, want := range []string{"$FAULTYAPP_ON_SIGTERM", "off by default", "faultyapp check"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestSetLive(t *testing.T) {
	c := Default()
	if err := c.SetLive("fault", "fail-after"); err != nil || c.Fault != FailAfter {
		t.Fatalf("SetLive fault: %v, %v", err, c.Fault)
	}
	if err := c.SetLive("fault", "foo"); err == nil || !strings.Contains(err.Error(), `fault="foo" is not a fault`) {
		t.Errorf("bad fault: %v", err)
	}
	if err := c.SetLive("addr", ":9090"); err == nil || !strings.Contains(err.Error(), "cannot be changed at run time") {
		t.Errorf("addr: %v", err)
	}
}

func TestSummary(t *testing.T) {
	c := Default()
	c.Fault, c.After = FailAfter, 5
	if got, want := c.Summary(), "fault=fail-after after=5"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	c.Fault, c.Token = AuthHealth, "secret"
	if got := c.Summary(); strings.Contains(got, "secret") {
		t.Errorf("Summary leaks the token: %q", got)
	}
}
