package config

import (
	"fmt"
	"io"
	"strings"
)

// Usage writes --help: the command lines, every option with its default and
// environment variable, and the faults.
func Usage(w io.Writer) {
	fmt.Fprint(w, `faultyapp: a web app that fails on purpose, to watch liveness probes at work.

Usage:
  faultyapp [flags]             serve on -addr: / answers "You've hit <hostname>",
                                /healthz is the health check, and gRPC health
                                (grpc.health.v1.Health/Check) is served on the same port
  faultyapp check [-file PATH]  exit 0 if PATH exists, 1 if not (for exec probes;
                                the image has no shell)

Every request counts toward -after (probes, users, any path), as in the seed app.
Each flag can also be set by its environment variable; a flag wins.

Flags:
`)
	for _, o := range options {
		def := o.def
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  -%s (default %s, $%s)\n      %s\n", o.name, def, EnvName(o.name), o.usage)
	}
	fmt.Fprint(w, "\nFaults (-fault):\n")
	for _, f := range faultHelp {
		fmt.Fprintf(w, "  %-13s %s\n", f.fault, f.help)
	}
	fmt.Fprintf(w, `
Runtime control (only with -control; off by default):
  GET  /fault                     show the fault
  POST /fault  fault=NAME [k=v]   switch the fault; -after counts from now.
               Fields: %s
`, strings.ReplaceAll(liveList(), ", ", " "))
}
