// Package calibrationtest keeps tests away from the calibrations a
// developer stored: a stored one changes what predict prints.
package calibrationtest

import (
	"os"
	"testing"
)

// Main runs m with the calibration cache ($PROBEDRILL_CACHE) in an empty
// directory, so that predictions use the shipped default; use it as a
// package's TestMain.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "probedrill-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv("PROBEDRILL_CACHE", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
