package calibration

import (
	"bufio"
	"strings"
	"time"
)

// logLayout is faultyapp's log timestamp (faultyapp/internal/reqlog
// Layout): RFC 3339 with milliseconds, first on every line.
const logLayout = "2006-01-02T15:04:05.000Z07:00"

// Leads reads the probe workers' lead (predict.Kubelet.WorkerLead) from
// the log of a pod's first faultyapp container, whose only probe worker
// ticks every period; created is the pod's creationTimestamp.
//
// The kubelet starts a pod's probe workers in its first sync, before it
// creates the sandbox, and each ticks every period from then on (prober
// worker.go run; docs/kubelet-probes.md "The probe workers' phase"). So
// the first probe request, in milliseconds, fixes the workers' start
// modulo the period: the lead is (start − request) mod period, plus any
// whole number of periods. The workers cannot start before the pod
// exists, so a lead is at most start − created; when more than one lead
// fits under that bound, every one of them is returned, so that a span
// read from them holds the true one. No lead (nil) when the log lacks the
// start line or a probe request.
//
// A lead read this way is short by the probe's own latency (the request
// arrives after the tick), which the model adds back (ProbeLatency).
func Leads(log string, created time.Time, period time.Duration) []time.Duration {
	start, probe, ok := firstProbe(log)
	if !ok || period <= 0 {
		return nil
	}
	lead := start.Sub(probe) % period
	if lead < 0 {
		lead += period
	}
	var out []time.Duration
	for bound := start.Sub(created); lead <= bound; lead += period {
		out = append(out, lead)
	}
	return out
}

// firstProbe finds the container's start line and the first kube-probe
// request after it.
func firstProbe(log string) (start, probe time.Time, ok bool) {
	sc := bufio.NewScanner(strings.NewReader(log))
	started := false
	for sc.Scan() {
		stamp, rest, _ := strings.Cut(sc.Text(), " ")
		t, err := time.Parse(logLayout, stamp)
		if err != nil {
			continue
		}
		switch {
		case !started && strings.HasPrefix(rest, "faultyapp ") && strings.Contains(rest, " starting: "):
			start, started = t, true
		case started && strings.Contains(rest, " kube-probe/"):
			return start, t, true
		}
	}
	return time.Time{}, time.Time{}, false
}
