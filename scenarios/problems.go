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

// problems collects Problems while Validate walks a scenario.
type problems struct {
	file string
	list []Problem
}

// add records a problem at field; fix says what to do.
func (ps *problems) add(field, fix, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Field: field, What: fmt.Sprintf(format, args...), Fix: fix})
}

// check records a problem when ok is false.
func (ps *problems) check(ok bool, field, fix, format string, args ...any) {
	if !ok {
		ps.add(field, fix, format, args...)
	}
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &InvalidError{Problems: ps.list}
}
