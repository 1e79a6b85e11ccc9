//go:build !unix

package screen

import "os"

// notifyResize reports nothing where there is no SIGWINCH (Windows): the
// screen keeps the size it had when it started.
func notifyResize() (resized <-chan os.Signal, stop func()) {
	return nil, func() {}
}
