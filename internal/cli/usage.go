package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// UsageError marks an error in the command line itself (an unknown flag, a
// missing argument, a bad value), which the CLI reports with exit code 2.
type UsageError struct{ Err error }

func (u UsageError) Error() string { return u.Err.Error() }
func (u UsageError) Unwrap() error { return u.Err }

// Usage wraps err as a UsageError (nil stays nil).
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return UsageError{err}
}

// IsUsage reports whether err is, or wraps, a UsageError.
func IsUsage(err error) bool {
	var u UsageError
	return errors.As(err, &u)
}

// NoArgs is cobra.NoArgs reporting a UsageError.
func NoArgs(c *cobra.Command, args []string) error {
	return Usage(cobra.NoArgs(c, args))
}

// PreconditionError marks a command that could not start because something
// it needs is missing: the Docker engine, the cluster, or an answer from
// it. Like a usage error it exits with code 2: nothing was attempted.
type PreconditionError struct{ Err error }

func (p PreconditionError) Error() string { return p.Err.Error() }
func (p PreconditionError) Unwrap() error { return p.Err }

// Precondition wraps err as a PreconditionError (nil stays nil).
func Precondition(err error) error {
	if err == nil {
		return nil
	}
	return PreconditionError{err}
}

// IsPrecondition reports whether err is, or wraps, a PreconditionError.
func IsPrecondition(err error) bool {
	var p PreconditionError
	return errors.As(err, &p)
}
