package owncheck

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

// FaultCrash: the app's main process dies from outside, SIGKILL then
// SIGTERM (docs/check.md, "crash").
const FaultCrash = "crash"

// Signalled is what one signal did to the container.
type Signalled struct {
	Signal string
	// Node is where the container ran (its kubelet's facts predict).
	Node string
	// Ended: the container ended (within sigtermWait for TERM); Exit and
	// Reason are its Last State; EndedAfter is from the signal.
	Ended      bool
	ExitCode   int32
	Reason     string
	EndedAfter time.Duration
	// IgnoredTerm: SIGTERM did not end it; check sent SIGKILL to go on.
	IgnoredTerm bool
	// Restarted and when (from the signal); Serving: when it served again.
	Restarted                  bool
	RestartAfter, ServingAfter time.Duration
	// Restarts is the container's restartCount once this signal's restart
	// (or its absence) was seen.
	Restarts int32
	// BackOff is the kubelet's CrashLoopBackOff delay before the restart
	// ("back-off 10s"), if it held one.
	BackOff string
}

// Crash waits and bounds.
const (
	sigtermWait  = 10 * time.Second
	restartLimit = 2 * time.Minute
	neverWait    = 15 * time.Second
)

// crashRun serves, then SIGKILL, serves again, then SIGTERM, and judges
// each restart against the restart policy.
func (k *Check) crashRun(ctx context.Context, cs kubernetes.Interface, namespace string, need time.Duration) (FaultResult, error) {
	f := FaultResult{Fault: FaultCrash, Must: k.must(FaultCrash)}
	k.progress("crash: SIGKILL, then SIGTERM, to the app's main process from its node")
	r, err := k.startPod(ctx, cs, namespace, "crash", k.spec)
	if err != nil {
		return f, err
	}
	defer r.stop(ctx)
	for n, sig := range []string{"KILL", "TERM"} {
		s, err := r.until(ctx, k.servingOrGone(int32(n), need))
		if err != nil {
			return f, err
		}
		if gone(s, int32(n)) {
			f.Skipped = fmt.Sprintf("the probes killed the container before it served (instance %d): see cold-start", n)
			return f, nil
		}
		step, err := k.signal(ctx, r, s.node, sig, int32(n), need)
		if err != nil {
			return f, err
		}
		f.Crash = append(f.Crash, step)
		if !step.Restarted {
			break
		}
	}
	k.judgeCrash(&f)
	return f, nil
}

// policy is the pod's restart policy (Always when unset, as the API defaults).
func (k *Check) policy() corev1.RestartPolicy {
	if p := k.spec.RestartPolicy; p != "" {
		return p
	}
	return corev1.RestartPolicyAlways
}

// servingOrGone waits for instance n to serve (as servingSince says), or
// to end or be killed, within the cold-start limit.
func (k *Check) servingOrGone(n int32, need time.Duration) func(seen, time.Duration) bool {
	c := k.container()
	limit := max(k.Budget.Total, need) + lateMargin
	return func(s seen, _ time.Duration) bool {
		in := s.inst(n)
		if gone(s, n) {
			return true
		}
		if in.startedAt.IsZero() {
			return false
		}
		serving := instanceServing(c, in, need)
		return !serving.IsZero() || time.Since(in.startedAt) > limit
	}
}

// gone reports whether instance n ended, was replaced, or is being killed
// (a Killing event after its start: it may take the grace period to end).
func gone(s seen, n int32) bool {
	in := s.inst(n)
	return in.ended != nil || s.restarts > n || !in.startedAt.IsZero() && s.lastKill.After(in.startedAt)
}

// instanceServing is servingSince for one instance: Ready with a
// readiness probe, else its start plus the need (a started container has
// passed its startup probe, but the watch does not keep Started per
// instance: the need covers it).
func instanceServing(c *corev1.Container, in *instance, need time.Duration) time.Time {
	switch {
	case c.ReadinessProbe != nil:
		return in.ready
	case in.startedAt.IsZero() || time.Since(in.startedAt) < need:
		return time.Time{}
	}
	return in.startedAt.Add(need)
}

// signal sends sig to instance n and follows what comes of it.
func (k *Check) signal(ctx context.Context, r *podRun, node, sig string, n int32, need time.Duration) (Signalled, error) {
	st := Signalled{Signal: sig, Node: node}
	at := time.Now()
	if err := k.Options.Node.Signal(Where{Node: node, Namespace: r.namespace, Pod: r.pod, Container: k.Container}, sig); err != nil {
		return st, err
	}
	wait := restartLimit
	if sig == "TERM" {
		wait = min(sigtermWait, k.grace())
	}
	s, err := r.until(ctx, func(s seen, _ time.Duration) bool { return s.inst(n).ended != nil || time.Since(at) > wait })
	if err != nil {
		return st, err
	}
	if s.inst(n).ended == nil && sig == "TERM" {
		st.IgnoredTerm = true // go on as the kubelet would after the grace period
		if err := k.Options.Node.Signal(Where{Node: node, Namespace: r.namespace, Pod: r.pod, Container: k.Container}, "KILL"); err != nil {
			return st, err
		}
		if s, err = r.until(ctx, func(s seen, _ time.Duration) bool { return s.inst(n).ended != nil || time.Since(at) > restartLimit }); err != nil {
			return st, err
		}
	}
	if e := s.inst(n).ended; e != nil {
		st.Ended, st.ExitCode, st.Reason = true, e.ExitCode, e.Reason
		st.EndedAfter = max(e.FinishedAt.Sub(at), 0)
	}
	if !k.restarts(st) {
		s, err = r.until(ctx, func(s seen, _ time.Duration) bool { return s.restarts > n || time.Since(at) > neverWait })
	} else {
		served := k.servingOrGone(n+1, need)
		s, err = r.until(ctx, func(s seen, since time.Duration) bool { return served(s, since) || time.Since(at) > restartLimit })
	}
	if err != nil {
		return st, err
	}
	st.Restarts = s.restarts
	next := s.inst(n + 1)
	if !next.startedAt.IsZero() {
		st.Restarted, st.RestartAfter = true, next.startedAt.Sub(at)
		if sv := instanceServing(k.container(), next, need); !sv.IsZero() && !sv.After(time.Now()) {
			st.ServingAfter = sv.Sub(at)
		}
	}
	st.BackOff = s.waitBackOff
	if st.BackOff == "" && len(s.backOff) > 0 {
		st.BackOff = "back-off" // the event came, the waiting status was missed
	}
	return st, nil
}

// restarts says whether the restart policy restarts a container that
// ended as st did.
func (k *Check) restarts(st Signalled) bool {
	switch k.policy() {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return !st.Ended || st.ExitCode != 0
	}
	return true
}

// judgeCrash: each signal's restart as the policy says.
func (k *Check) judgeCrash(f *FaultResult) {
	f.Pass = len(f.Crash) > 0
	var pred, obs []string
	for _, st := range f.Crash {
		want := k.restarts(st)
		if st.Restarted != want {
			f.Pass = false
		}
		expect := k.expectedBackOff(st)
		if want && st.Restarted && st.BackOff != expect {
			f.Mismatch = append(f.Mismatch, fmt.Sprintf("after SIG%s the model predicted %s, the kubelet held %s",
				st.Signal, orNone(expect), orNone(st.BackOff)))
		}
		pred = append(pred, fmt.Sprintf("SIG%s: %s", st.Signal, predictedCrash(st, want, expect)))
		obs = append(obs, fmt.Sprintf("SIG%s: %s", st.Signal, observedCrash(st)))
	}
	f.Predicted, f.Observed = strings.Join(pred, "; "), strings.Join(obs, "; ")
	f.Advice = k.crashAdvice(f.Crash)
	if len(f.Mismatch) > 0 {
		f.Advice = strings.TrimSpace(f.Advice + " The model was wrong: " + strings.Join(f.Mismatch, "; ") +
			" (see the cluster's kubelet settings).")
	}
}

// expectedBackOff is the kubelet's hold before the restart after st's
// signal, as its waiting message words it: none after the first exit (no
// back-off entry yet), the initial delay after the second, within 10
// minutes (docs/kubelet-backoff.md).
func (k *Check) expectedBackOff(st Signalled) string {
	if st.Signal == "KILL" {
		return ""
	}
	initial, _ := k.kubelet(st.Node).BackOff()
	return "back-off " + initial.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// predictedCrash words the prediction for one signal.
func predictedCrash(st Signalled, restart bool, backOff string) string {
	exit := "exit 137 (Error)"
	if st.Signal == "TERM" {
		exit = "exit 143, or 0 if the app handles SIGTERM"
	}
	switch {
	case !restart:
		return exit + ", no restart"
	case st.Signal == "KILL":
		return exit + ", restarted at once"
	}
	return exit + ", restarted after " + backOff
}

func observedCrash(st Signalled) string {
	var b strings.Builder
	switch {
	case !st.Ended:
		b.WriteString("did not end")
	case st.IgnoredTerm:
		fmt.Fprintf(&b, "ignored it (still running after %s), SIGKILL: exit %d (%s)", sigtermWait, st.ExitCode, st.Reason)
	default:
		fmt.Fprintf(&b, "exit %d (%s) after %s", st.ExitCode, st.Reason, secs1(st.EndedAfter))
	}
	if !st.Restarted {
		b.WriteString(", no restart")
		return b.String()
	}
	fmt.Fprintf(&b, ", restarted after %s", secs1(st.RestartAfter))
	if st.ServingAfter > 0 {
		fmt.Fprintf(&b, ", serving again after %s", secs1(st.ServingAfter))
	}
	return b.String()
}

// crashAdvice names the costs the crash showed.
func (k *Check) crashAdvice(steps []Signalled) string {
	var out []string
	for _, st := range steps {
		if st.IgnoredTerm {
			out = append(out, fmt.Sprintf("It ignores SIGTERM: every liveness restart and every rollout will wait the whole "+
				"grace period (%s) and end in 137; a shell or an init script as PID 1 does that: exec the server, or handle SIGTERM.", k.grace()))
		}
		if st.Restarted && st.ServingAfter > 0 {
			out = append(out, fmt.Sprintf("After SIG%s it served again %s later.", st.Signal, secs1(st.ServingAfter)))
		}
	}
	return strings.Join(out, " ")
}
