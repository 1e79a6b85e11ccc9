package owncheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
)

// The faults check injects into the running container from its node,
// without changing the app (docs/check.md, "Injected faults").
const (
	FaultFreeze      = "freeze"
	FaultCPUStarve   = "cpu-starve"
	FaultPortBlocked = "port-blocked"
)

// Where names a pod's running container on its node.
type Where struct{ Node, Namespace, Pod, Container string }

// Injection is a fault acting on a container, and its undo.
type Injection struct {
	// Did says what was done, Undoes what Undo does.
	Did, Undoes string
	// Started and At: when the injecting command started and returned
	// (zero: when Node returned). Timelines count from At, when the fault
	// surely holds; failures and kills from Started.
	Started, At time.Time
	// Undo takes the fault back; what a restarted container or a deleted
	// pod no longer holds needs nothing.
	Undo func() error
}

// Node acts on a pod's container from its node: the faults that come from
// outside the app. Options.Node is nil where check cannot reach the nodes.
type Node interface {
	// Signal sends signal ("KILL", "TERM") to the container's main process.
	Signal(w Where, signal string) error
	// Freeze stops every process of the container (SIGSTOP).
	Freeze(w Where) (Injection, error)
	// SqueezeCPU lowers the container's CPU quota to percent of a core.
	SqueezeCPU(w Where, percent int) (Injection, error)
	// BlockPort drops TCP packets to ports in the pod's network namespace.
	BlockPort(w Where, ports []int32) (Injection, error)
	// CutEgress drops TCP packets from the pod to each IP address and port.
	CutEgress(w Where, to []Endpoint) (Injection, error)
}

// Injected is what an injected fault did; durations are from the
// injection, 0 when it never happened.
type Injected struct {
	Did, Undoes string
	// Lasted is how long the fault held, until its undo; Planned is how
	// long it was to hold (0: until the container is killed).
	Lasted, Planned time.Duration
	// LivenessFailures counts the liveness probe's failures seen from the
	// injection until the container ended (or the watch did).
	LivenessFailures int
	FirstFailure     time.Duration
	// ReadinessFailures counts the readiness probe's failures meanwhile.
	ReadinessFailures int
	Killing           time.Duration
	// Ended: the container ended, with Last State's exit code and reason.
	Ended    time.Duration
	ExitCode int32
	Reason   string
	// Restarted and Serving again.
	Restarted, Serving time.Duration
	// Watched is how long check followed the container after the injection.
	Watched time.Duration
	// Unhealthy are the kubelet's probe failure messages.
	Unhealthy []string
}

// UndoError: an injected fault could not be taken back. It is never
// hidden behind another error: the user must know what is left to undo.
type UndoError struct {
	Fault  string
	Where  Where
	Undoes string
	Err    error
}

func (e *UndoError) Error() string {
	return fmt.Sprintf("%s: could not undo it on node %s (%s): %v; the pod %s/%s is deleted with its namespace",
		e.Fault, e.Where.Node, e.Undoes, e.Err, e.Where.Namespace, e.Where.Pod)
}

func (e *UndoError) Unwrap() error { return e.Err }

// injected reports whether f is one of the faults injected from the node.
func injected(f string) bool {
	return slices.Contains([]string{FaultFreeze, FaultCPUStarve, FaultPortBlocked, FaultDependencyCut}, f)
}

// DefaultStarvePercent is cpu-starve's quota: 5 % of a core made a shell
// loop 14× slower (docs/real-app-faults.md, "cpu-starve").
const DefaultStarvePercent = 5

// injectRun serves a pod, injects fault into its container from its node,
// follows what the kubelet does, takes the fault back (always: also on an
// error or Ctrl-C, before the pod is deleted) and judges.
func (k *Check) injectRun(ctx context.Context, cs kubernetes.Interface, namespace, fault string, need time.Duration) (f FaultResult, err error) {
	f = FaultResult{Fault: fault, Must: k.must(fault)}
	r, err := k.startPod(ctx, cs, namespace, fault, k.spec)
	if err != nil {
		return f, err
	}
	defer r.stop(ctx)
	s, err := r.until(ctx, k.servingOrGone(0, need))
	if err != nil {
		return f, err
	}
	if gone(s, 0) {
		f.Skipped = "the probes killed the container before it served: see cold-start"
		return f, nil
	}
	w := Where{Node: s.node, Namespace: namespace, Pod: r.pod, Container: k.Container}
	in, err := k.inject(ctx, cs, fault, w)
	if err != nil {
		return f, fmt.Errorf("%s: %w", fault, err)
	}
	from, at := in.window()
	f.Injected = &Injected{Did: in.Did, Undoes: in.Undoes}
	u := &undoer{k: k, fault: fault, where: w, in: in, at: at, out: f.Injected}
	defer func() { err = errors.Join(err, u.undo()) }()
	k.notice(fmt.Sprintf("%s: %s (namespace %s)", fault, in.Did, namespace))
	p := k.plan(fault)
	if survivable(fault) {
		f.Injected.Planned = p.hold
	}
	if s, err = r.until(ctx, func(s seen, _ time.Duration) bool { return p.lift(s, from, at) }); err != nil {
		return f, err
	}
	if err := u.undo(); err != nil {
		return f, err
	}
	if s, err = r.until(ctx, func(s seen, _ time.Duration) bool { return k.settled(s, from, at, p, need) }); err != nil {
		return f, err
	}
	if endedBefore(s, from) {
		// Judging it would credit the fault with a restart it did not
		// cause (a make e2e run: Redis killed by its own exec probes on a
		// busy node, then "restarted" by a freeze that came after).
		f.Skipped = "the container was killed before the fault went in: its probes killed it while it served, with no fault (see cold-start); " + fault + " was not judged"
		return f, nil
	}
	k.observe(f.Injected, s, from, at, need)
	k.judgeInjected(&f, p)
	return f, nil
}

// endedBefore reports whether the first instance ended before the fault
// went in (from): a Killing event arrived before it, or its FinishedAt,
// good to a second, is a whole second before it.
func endedBefore(s seen, from time.Time) bool {
	if !s.killedAt.IsZero() && s.killedAt.Before(from) {
		return true
	}
	return s.ended != nil && !s.ended.FinishedAt.Add(time.Second).After(from)
}

// window is when the injecting command started and returned (now when
// Node did not say): failures count from the first, timelines from the
// second, when the fault surely holds.
func (in Injection) window() (from, at time.Time) {
	from, at = in.Started, in.At
	if at.IsZero() {
		at = time.Now()
	}
	if from.IsZero() || from.After(at) {
		from = at
	}
	return from, at
}

// undoer takes an injected fault back once, noting how long it held.
type undoer struct {
	k     *Check
	fault string
	where Where
	in    Injection
	at    time.Time
	out   *Injected
	done  bool
}

func (u *undoer) undo() error {
	if u.done {
		return nil
	}
	u.done = true
	u.out.Lasted = time.Since(u.at)
	if err := u.in.Undo(); err != nil {
		return &UndoError{Fault: u.fault, Where: u.where, Undoes: u.in.Undoes, Err: err}
	}
	u.k.notice(fmt.Sprintf("%s: undone after %s: %s", u.fault, secs1(u.out.Lasted), u.in.Undoes))
	return nil
}

// inject acts on the container as fault says.
func (k *Check) inject(ctx context.Context, cs kubernetes.Interface, fault string, w Where) (Injection, error) {
	switch fault {
	case FaultFreeze:
		return k.Options.Node.Freeze(w)
	case FaultCPUStarve:
		return k.Options.Node.SqueezeCPU(w, k.starvePercent())
	case FaultPortBlocked:
		return k.Options.Node.BlockPort(w, k.probedPorts())
	case FaultDependencyCut:
		to, err := resolve(ctx, cs, w.Namespace, k.cutTargets())
		if err != nil {
			return Injection{}, err
		}
		return k.Options.Node.CutEgress(w, to)
	}
	return Injection{}, fmt.Errorf("no injection for fault %q", fault)
}

func (k *Check) starvePercent() int {
	if p := k.Options.StarvePercent; p > 0 {
		return p
	}
	return DefaultStarvePercent
}

// observe fills in what the watch saw after the injection: events from
// from (the injecting command's start), offsets from at (its return; an
// event in between is +0.0s).
func (k *Check) observe(in *Injected, s seen, from, at time.Time, need time.Duration) {
	in.Watched = time.Since(at)
	first := s.inst(0)
	// The kubelet sends a kill's Unhealthy events before its Killing one;
	// on a busy cluster both may arrive after the container ended.
	killed := killedSince(s, from)
	for _, t := range s.liveFailures {
		if t.After(from) && (killed.IsZero() || !t.After(killed.Add(time.Second))) {
			if in.LivenessFailures == 0 {
				in.FirstFailure = offset(t, at)
			}
			in.LivenessFailures++
		}
	}
	for _, t := range s.readyFailures {
		if t.After(from) {
			in.ReadinessFailures++
		}
	}
	if !killed.IsZero() {
		in.Killing = offset(killed, at)
		// the kubelet merges repeated Unhealthy events into one with a
		// count, so fewer may arrive than there were failures; a liveness
		// kill means failureThreshold of them in a row
		if l := probe(k.container().LivenessProbe); l != nil && killedByLiveness(s.killing) {
			in.LivenessFailures = max(in.LivenessFailures, int(l.FailureThreshold))
		}
	}
	if e := first.ended; e != nil {
		in.Ended, in.ExitCode, in.Reason = offset(e.FinishedAt.Time, at), e.ExitCode, e.Reason
	}
	if next := s.inst(1); !next.startedAt.IsZero() {
		in.Restarted = offset(next.startedAt, at)
		if sv := instanceServing(k.container(), next, need); !sv.IsZero() && !sv.After(time.Now()) {
			in.Serving = sv.Sub(at)
		}
	}
	in.Unhealthy = s.unhealthy
}

// killedSince is when the first Killing event after from arrived (zero:
// none).
func killedSince(s seen, from time.Time) time.Time {
	switch {
	case s.killedAt.After(from):
		return s.killedAt
	case s.lastKill.After(from):
		return s.lastKill
	}
	return time.Time{}
}

// offset is t after at, at least 1 ms: 0 means "never" in an Injected.
func offset(t, at time.Time) time.Duration { return max(t.Sub(at), time.Millisecond) }

// killedByLiveness reports whether a Killing message is the liveness
// probe's ("Container web failed liveness probe, will be restarted").
func killedByLiveness(killing []string) bool {
	for _, m := range killing {
		if strings.Contains(m, "failed liveness probe") {
			return true
		}
	}
	return false
}
