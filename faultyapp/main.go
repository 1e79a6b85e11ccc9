// Command faultyapp is a web app that misbehaves on purpose (fails after N
// requests, hangs, deadlocks, crashes, leaks ...), to watch Kubernetes
// liveness probes catch it. See `faultyapp -help`.
package main

import (
	"os"

	"github.com/probedrill/probedrill/faultyapp/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
