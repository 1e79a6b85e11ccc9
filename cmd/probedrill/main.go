// Command probedrill runs Kubernetes liveness-probe drills on its own kind
// cluster. This is a stub: everything lives in package app.
package main

import "github.com/probedrill/probedrill/cmd/probedrill/app"

func main() {
	app.Main()
}
