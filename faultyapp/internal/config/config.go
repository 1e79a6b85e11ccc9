// Package config reads faultyapp's settings from flags, environment
// variables (FAULTYAPP_<NAME>, podinfo-style; a flag wins) and, at run time,
// from the POST /fault form, all from one table of options.
package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config is one complete, validated set of settings. Treat it as a value:
// the fault engine swaps whole copies when /fault changes it.
type Config struct {
	Addr              string
	Fault             Fault
	After             int64
	AfterTime         time.Duration
	ExitCode          int
	Startup           time.Duration
	HealthFile        string
	P                 float64
	Seed              uint64
	Cost              time.Duration
	Dependency        string
	DependencyTimeout time.Duration
	Token             string
	LeakRate          int // MiB per second
	OnSigterm         Sigterm
	DrainDelay        time.Duration
	Control           bool
}

// UsageError is a problem with the command line or the environment; main
// exits 2 for it, as the flag package does.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Default returns the settings used when nothing is set.
func Default() Config {
	var c Config
	for _, o := range options {
		if err := o.set(&c, o.def); err != nil {
			panic("faultyapp: bad default for -" + o.name + ": " + err.Error())
		}
	}
	return c
}

// EnvName is the environment variable for an option: FAULTYAPP_HEALTH_FILE
// for -health-file.
func EnvName(name string) string {
	return "FAULTYAPP_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// SetLive changes one setting named like its flag, as POST /fault does.
// Settings that only make sense at start (-addr, -startup ...) are refused.
func (c *Config) SetLive(name, value string) error {
	o, ok := lookup(name)
	if !ok || !o.live {
		return fmt.Errorf("%q cannot be changed at run time; use: %s", name, liveList())
	}
	if err := o.set(c, value); err != nil {
		return fmt.Errorf("%s=%q %v", name, value, err)
	}
	return nil
}

func liveList() string {
	var names []string
	for _, o := range options {
		if o.live {
			names = append(names, o.name)
		}
	}
	return strings.Join(names, ", ")
}

// Validate reports every combination that cannot work, one line each.
func (c Config) Validate() error {
	var errs []error
	need := func(cond bool, msg string) {
		if !cond {
			errs = append(errs, errors.New(msg))
		}
	}
	need(c.Fault != SlowStart || c.Startup > 0, "-fault slow-start needs -startup > 0, e.g. -startup 30s")
	need(c.Fault != Dependency || c.Dependency != "", "-fault dependency needs -dependency URL, e.g. -dependency http://db:8080/")
	need(c.Fault != AuthHealth || c.Token != "", "-fault auth-health needs a -token")
	need(c.Fault != HeavyHealth || c.Cost > 0, "-fault heavy-health needs -cost > 0, e.g. -cost 250ms")
	return errors.Join(errs...)
}

// Summary is the fault part of the start line: the fault and the settings
// that matter for it, e.g. "fault=fail-after after=5".
func (c Config) Summary() string {
	parts := []string{"fault=" + string(c.Fault)}
	add := func(cond bool, k string, v any) {
		if cond {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	add(c.Fault.Counted(), "after", c.After)
	add(c.Fault.Counted() && c.AfterTime > 0, "after-time", c.AfterTime)
	add(c.Fault == Crash, "exit-code", c.ExitCode)
	add(c.Fault == ExecFile, "health-file", c.HealthFile)
	add(c.Fault == Leak, "leak-rate", fmt.Sprintf("%dMiB/s", c.LeakRate))
	add(c.Fault == Flaky, "p", c.P)
	add(c.Fault == Flaky && c.Seed != 0, "seed", c.Seed)
	add(c.Fault == HeavyHealth, "cost", c.Cost)
	add(c.Fault == Dependency, "dependency", c.Dependency)
	add(c.Fault == Dependency, "timeout", c.DependencyTimeout)
	add(c.Fault == AuthHealth, "token", "(set)")
	add(c.Startup > 0, "startup", c.Startup)
	return strings.Join(parts, " ")
}
