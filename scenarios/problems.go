package scenarios

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a scenario: where, what, and how to fix it.
// It prints as `scenarios/catalog/seed.yaml: pod.livenessProbe: no handler;
// set one of httpGet, tcpSocket, exec, grpc`.
type Problem struct {
	File  string // the scenario's file, or "scenario <name>" when it has none
	Field string // JSON path, e.g. pod.livenessProbe.httpGet.port
	What  string // what is wrong
	Fix   string // what to do
}

func (p Problem) Error() string {
	s := p.File + ": "
	if p.Field != "" {
		s += p.Field + ": "
	}
	s += p.What
	if p.Fix != "" {
		s += "; " + p.Fix
	}
	return s
}

// InvalidError holds every problem Validate found, in field order.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Problems collects Problems while a validator walks its input: a
// scenario here, a user's manifest in internal/probecheck. Err returns them
// as one InvalidError, every problem at once.
type Problems struct {
	file string
	list []Problem
}

// NewProblems returns an empty collector for the problems of file.
func NewProblems(file string) *Problems { return &Problems{file: file} }

// Add records a problem at field; fix says what to do.
func (ps *Problems) Add(field, fix, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Field: field, What: fmt.Sprintf(format, args...), Fix: fix})
}

// Check records a problem when ok is false.
func (ps *Problems) Check(ok bool, field, fix, format string, args ...any) {
	if !ok {
		ps.Add(field, fix, format, args...)
	}
}

// Err is nil when nothing was recorded, else an *InvalidError.
func (ps *Problems) Err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &InvalidError{Problems: ps.list}
}
