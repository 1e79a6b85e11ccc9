// Package owncheck checks a team's own workload on a cluster: its image,
// command, probes and settings, unchanged but for what a drill namespace
// cannot hold (docs/check.md, "What check changes"). It runs the faults of
// docs/check.md, each in its own namespace: cold-start (each of N starts
// runs the pod once with its probes replaced by a one-second readiness
// probe on the same handler, to measure when the app first answers, and
// once with its own probes, to see whether they kill it), crash, and the
// faults injected from outside through a Node (freeze, cpu-starve,
// port-blocked, dependency-cut), always undone. Each is judged against the
// model of what the probes should do. Reading the user's manifests is
// internal/probecheck's job; the command line is cmd/probedrill/check.
// docs/architecture.md shows where it sits.
package owncheck
