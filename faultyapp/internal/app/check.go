package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

// runCheck is `faultyapp check -file PATH`: exit 0 if the file exists, 1 if
// not. The image is FROM scratch, with no shell and no cat, so an exec
// probe calls faultyapp itself. What it prints lands in the kubelet's
// Unhealthy event ("Liveness probe failed: faultyapp: ...").
func runCheck(args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("faultyapp check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	def := getenv(config.EnvName("health-file"))
	if def == "" {
		def = config.Default().HealthFile
	}
	file := fs.String("file", def, "file that must exist")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &Exit{Code: 0, Msg: "usage: faultyapp check [-file PATH] (default " + def + "): exit 0 if PATH exists, 1 if not"}
		}
		return &config.UsageError{Err: fmt.Errorf("check: %v (usage: faultyapp check -file PATH)", err)}
	}
	if fs.NArg() > 0 {
		return &config.UsageError{Err: fmt.Errorf("check: unexpected argument %q (usage: faultyapp check -file PATH)", fs.Arg(0))}
	}
	if _, err := os.Stat(*file); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &Exit{Code: 1, Msg: "check: " + *file + " is missing"}
		}
		return &Exit{Code: 1, Msg: "check: " + err.Error()}
	}
	return nil
}
