package probecheck

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/scenarios"
)

// Must is what a liveness probe owes a fault.
type Must string

const (
	// MustCatch: the app is broken for good (500s, a hang, a deadlock) and
	// only a restart helps, so the probe must restart it.
	MustCatch Must = "catch"
	// MustSpare: the app is healthy, only slow (to start, or to answer its
	// health check under load); a restart throws away a working app and, under
	// load, makes things worse, so any restart is a false restart.
	MustSpare Must = "spare"
)

// String is the report's wording.
func (m Must) String() string {
	if m == MustSpare {
		return "not kill"
	}
	return "catch"
}

// Faults lists the faults check runs, in report order.
func Faults() []string {
	return []string{scenarios.FaultFailAfter, scenarios.FaultHang, scenarios.FaultDeadlock,
		scenarios.FaultSlowStart, scenarios.FaultHeavyHealth}
}

// MustOf says whether a fault must be caught or spared.
func MustOf(fault string) Must {
	if fault == scenarios.FaultSlowStart || fault == scenarios.FaultHeavyHealth {
		return MustSpare
	}
	return MustCatch
}

// Options are check's knobs. DefaultOptions gives the command's defaults.
type Options struct {
	// Faults to run, a subset of Faults(); empty means all.
	Faults []string
	// After is how many requests (probes included) are served before
	// fail-after, hang and deadlock begin.
	After int
	// Startup is how long the slow-start app takes before it listens.
	Startup time.Duration
	// Cost is the CPU time one heavy-health check burns.
	Cost time.Duration
	// CPULimit is the heavy-health container's CPU limit; nil takes the
	// user's container's limit, and without one the check runs unlimited.
	CPULimit *resource.Quantity
	// OnSigterm is faultyapp's SIGTERM mode: exit, drain or ignore.
	OnSigterm string
	// Window is how long each drill is watched; 0 sizes it from the
	// predictions (first kill plus a margin, capped).
	Window time.Duration
	// Kubelet holds the cluster's kubelet facts for the predictor.
	Kubelet predict.Kubelet
	// Image is the faultyapp image ("" for the default).
	Image string
}

// Defaults of Options.
const (
	DefaultAfter   = scenarios.DefaultAfter // the seed app fails from the 6th request
	DefaultStartup = 30 * time.Second
	DefaultCost    = 250 * time.Millisecond // faultyapp's own -cost default
	// MaxWindow bounds --minutes: a check is a CI step, not a soak test.
	MaxWindow = time.Hour
)

// DefaultOptions returns the command's defaults.
func DefaultOptions() Options {
	return Options{After: DefaultAfter, Startup: DefaultStartup, Cost: DefaultCost, OnSigterm: scenarios.SigtermExit}
}

// Validate reports the first bad option in the words of its flag.
func (o Options) Validate() error {
	for _, f := range o.Faults {
		if !slices.Contains(Faults(), f) {
			return fmt.Errorf("--faults: %q is not a fault check runs; use %s", f, strings.Join(Faults(), ", "))
		}
	}
	switch {
	case o.After < 0:
		return fmt.Errorf("--after %d: use 0 or more requests", o.After)
	case o.Startup <= 0:
		return fmt.Errorf("--startup %s: use a positive duration, e.g. 30s", o.Startup)
	case o.Cost <= 0:
		return fmt.Errorf("--cost %s: use a positive duration, e.g. 250ms", o.Cost)
	case o.CPULimit != nil && o.CPULimit.Sign() <= 0:
		return fmt.Errorf("--cpu-limit %s: use a positive quantity, e.g. 100m", o.CPULimit)
	case !slices.Contains(scenarios.SigtermModes(), o.OnSigterm):
		return fmt.Errorf("--on-sigterm %q: use %s", o.OnSigterm, strings.Join(scenarios.SigtermModes(), ", "))
	case o.Window < 0 || o.Window > MaxWindow:
		return fmt.Errorf("--minutes %g: use more than 0 and at most %g", o.Window.Minutes(), MaxWindow.Minutes())
	}
	return nil
}

// faults returns the faults to run, in report order.
func (o Options) faults() []string {
	if len(o.Faults) == 0 {
		return Faults()
	}
	var out []string
	for _, f := range Faults() {
		if slices.Contains(o.Faults, f) {
			out = append(out, f)
		}
	}
	return out
}
