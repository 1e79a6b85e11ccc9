package cli

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IsSmartTerminal reports whether w is a terminal that understands VT escape
// codes, by the rules of kind's pkg/internal/env/term.go (v0.33.0): a TTY,
// NO_COLOR unset, TERM neither "dumb" nor "st-256color".
func IsSmartTerminal(w io.Writer) bool {
	return isSmartTerminal(w, os.LookupEnv)
}

func isSmartTerminal(w io.Writer, lookupEnv func(string) (string, bool)) bool {
	if !isTerminal(w) {
		return false
	}
	if _, set := lookupEnv("NO_COLOR"); set {
		return false
	}
	term, _ := lookupEnv("TERM")
	return term != "dumb" && term != "st-256color"
}

// fakeTTY is implemented by test writers that want to be treated as a terminal.
type fakeTTY interface{ isFakeTTY() }

func isTerminal(w io.Writer) bool {
	if _, ok := w.(fakeTTY); ok {
		return true
	}
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
