package config

import (
	"errors"
	"math"
	"net"
	"net/url"
	"strconv"
	"time"
)

// option is one setting, readable from a flag, an environment variable and
// (when live) a POST /fault form field, all with the same name.
type option struct {
	name  string
	def   string // the default, as typed; Default() applies it with set
	usage string
	live  bool // may be changed at run time through POST /fault
	bool  bool // a boolean flag: "-control" alone means true
	// set parses v into c; its error text follows the quoted value, as in
	// `-fault "foo" is not a fault; use one of: ...`.
	set func(c *Config, v string) error
}

// options is the single list of settings: flags, environment variables,
// the control form, the defaults and --help all come from it.
var options = []option{
	{name: "addr", def: ":8080", usage: "listen address (HTTP/1.1 and h2c gRPC on one port)",
		set: func(c *Config, v string) error { c.Addr = v; return checkAddr(v) }},
	{name: "fault", def: "none", live: true, usage: "what goes wrong (see Faults below)",
		set: func(c *Config, v string) error { c.Fault = Fault(v); return checkFault(v) }},
	{name: "after", def: "5", live: true, usage: "requests served normally before a counted fault begins (every request counts)",
		set: func(c *Config, v string) (err error) { c.After, err = parseCount(v); return }},
	{name: "after-time", def: "0s", live: true, usage: "also begin a counted fault this long after listening, whichever comes first (0: never); for exec and TCP probes, which send no request",
		set: func(c *Config, v string) (err error) { c.AfterTime, err = parseDuration(v); return }},
	{name: "exit-code", def: "1", live: true, usage: "exit code of the crash fault",
		set: func(c *Config, v string) (err error) { c.ExitCode, err = parseExitCode(v); return }},
	{name: "startup", def: "0s", usage: "wait this long before listening (slow-start needs > 0)",
		set: func(c *Config, v string) (err error) { c.Startup, err = parseDuration(v); return }},
	{name: "health-file", def: "/tmp/healthy", live: true, usage: "file that exec-file creates and later removes",
		set: func(c *Config, v string) error { c.HealthFile = v; return nonEmpty(v) }},
	{name: "p", def: "0.3", live: true, usage: "probability that a flaky request fails, 0 to 1",
		set: func(c *Config, v string) (err error) { c.P, err = parseProbability(v); return }},
	{name: "seed", def: "0", live: true, usage: "random seed for flaky (0: a new seed each start)",
		set: func(c *Config, v string) (err error) { c.Seed, err = parseSeed(v); return }},
	{name: "cost", def: "250ms", live: true, usage: "CPU time that heavy-health burns per health check",
		set: func(c *Config, v string) (err error) { c.Cost, err = parseDuration(v); return }},
	{name: "dependency", def: "", live: true, usage: "URL that the dependency fault's /healthz GETs",
		set: func(c *Config, v string) error { c.Dependency = v; return checkURL(v) }},
	{name: "dependency-timeout", def: "300ms", live: true, usage: "timeout of the dependency check (keep it under the probe's timeout)",
		set: func(c *Config, v string) (err error) { c.DependencyTimeout, err = parsePositive(v); return }},
	{name: "token", def: "letmein", live: true, usage: "bearer token that auth-health wants on /healthz",
		set: func(c *Config, v string) error { c.Token = v; return nil }},
	{name: "leak-rate", def: "10", live: true, usage: "MiB per second that leak allocates and keeps",
		set: func(c *Config, v string) (err error) { c.LeakRate, err = parseLeakRate(v); return }},
	{name: "on-sigterm", def: "exit", live: true, usage: "on SIGTERM: exit (143 at once), drain (finish requests, exit 0), ignore (wait for SIGKILL: 137)",
		set: func(c *Config, v string) error { c.OnSigterm = Sigterm(v); return checkSigterm(v) }},
	{name: "drain-delay", def: "0s", usage: "with -on-sigterm drain: keep serving this long with /healthz failing before closing",
		set: func(c *Config, v string) (err error) { c.DrainDelay, err = parseDuration(v); return }},
	{name: "control", def: "false", bool: true, usage: "enable POST /fault to change the fault at run time (off by default: anyone who reaches the port could use it)",
		set: func(c *Config, v string) (err error) { c.Control, err = parseBool(v); return }},
}

func lookup(name string) (option, bool) {
	for _, o := range options {
		if o.name == name {
			return o, true
		}
	}
	return option{}, false
}

func checkAddr(v string) error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return errors.New("is not a listen address; use e.g. :8080 or 127.0.0.1:8080")
	}
	return nil
}

func checkFault(v string) error {
	for _, f := range faultHelp {
		if string(f.fault) == v {
			return nil
		}
	}
	return errors.New("is not a fault; use one of: " + faultList())
}

func checkSigterm(v string) error {
	switch Sigterm(v) {
	case SigtermExit, SigtermDrain, SigtermIgnore:
		return nil
	}
	return errors.New("is not a SIGTERM mode; use one of: " + sigtermList)
}

func parseCount(v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("is not a count; use a whole number, 0 or more")
	}
	return n, nil
}

func parseDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("is not a duration; use e.g. 500ms, 30s or 2m")
	}
	if d < 0 {
		return 0, errors.New("is negative; use 0 or more, e.g. 30s")
	}
	return d, nil
}

func parsePositive(v string) (time.Duration, error) {
	d, err := parseDuration(v)
	if err == nil && d == 0 {
		err = errors.New("must be more than 0, e.g. 300ms")
	}
	return d, err
}

func parseExitCode(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 255 {
		return 0, errors.New("is not an exit code; use 0 to 255")
	}
	return n, nil
}

func parseProbability(v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(p) || p < 0 || p > 1 {
		return 0, errors.New("is not a probability; use a number from 0 to 1, e.g. 0.3")
	}
	return p, nil
}

func parseSeed(v string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, errors.New("is not a seed; use a whole number (0 picks a new one each start)")
	}
	return n, nil
}

func parseLeakRate(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 4096 {
		return 0, errors.New("is not a leak rate; use MiB per second from 1 to 4096")
	}
	return n, nil
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errors.New("is not a boolean; use true or false")
	}
	return b, nil
}

func nonEmpty(v string) error {
	if v == "" {
		return errors.New("is empty; give a path, e.g. /tmp/healthy")
	}
	return nil
}

// checkURL accepts "" (no dependency) or an absolute http(s) URL.
func checkURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("is not an http URL; use e.g. http://db:8080/")
	}
	return nil
}
