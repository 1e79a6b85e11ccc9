// Package app is faultyapp's command: Main maps Run's result to an exit
// code and prints errors, in one place; Run does the work.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

// Version is faultyapp's version, shown in the start line.
const Version = "v0.1.0"

// Exit ends the process with Code. It is how a fault (crash) or a signal
// asks for a given exit code; Msg, if any, goes to stderr.
type Exit struct {
	Code int
	Msg  string
}

func (e *Exit) Error() string { return fmt.Sprintf("exit %d: %s", e.Code, e.Msg) }

// Deps connect Run to the process; tests replace them.
type Deps struct {
	Stdout    io.Writer
	Getenv    func(string) string
	Signals   <-chan os.Signal
	Hostname  string
	Listening func(net.Addr) // called once the listener is up; may be nil
}

// Main runs faultyapp with args (without the program name) and returns the
// exit code for os.Exit.
func Main(args []string, stdout, stderr io.Writer) int {
	sigs := make(chan os.Signal, 1)
	// PID 1 in a container gets no default action for SIGTERM: the kernel
	// drops signals it has no handler for. So faultyapp handles it itself.
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	err = Run(context.Background(), args, Deps{Stdout: stdout, Getenv: os.Getenv, Signals: sigs, Hostname: host})
	return exitCode(err, stdout, stderr)
}

// exitCode prints err (once) and says how to exit: 2 for usage errors, as
// the flag package does; the Exit's code; 1 for anything else.
func exitCode(err error, stdout, stderr io.Writer) int {
	var usage *config.UsageError
	var exit *Exit
	switch {
	case err == nil:
		return 0
	case errors.Is(err, config.ErrHelp):
		config.Usage(stdout)
		return 0
	case errors.As(err, &usage):
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(stderr, "faultyapp: "+line)
		}
		return 2
	case errors.As(err, &exit):
		if exit.Msg != "" {
			fmt.Fprintln(stderr, "faultyapp: "+exit.Msg)
		}
		return exit.Code
	}
	fmt.Fprintln(stderr, "faultyapp: "+err.Error())
	return 1
}
