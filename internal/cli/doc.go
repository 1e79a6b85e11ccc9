// Package cli is probedrill's terminal output: a logger that satisfies kind's
// log.Logger (so the kind Go API reports through it), a spinner used only on a
// smart terminal, and a Status that prints one line per step with ✓ or ✗ and
// the step's duration.
//
// It follows kind v0.33.0's pkg/internal/cli (logger.go, spinner.go,
// status.go), which cannot be imported from outside kind. Two additions: each
// finished step carries its duration, and a library that prints its own kind
// style steps (kind's cluster create) can be nested under one of ours, its
// sub-steps shown in our spinner instead of as lines of their own.
package cli
