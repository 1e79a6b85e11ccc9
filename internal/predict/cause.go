package predict

import (
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// The causes below are the machine-readable twins of why.go's sentences:
// each is built from the same facts, next to the same emit
// (docs/predict.md, "Causes").

func causeProbeFailed(o outcome, ps *probeSpec, run int) *timeline.Cause {
	c := &timeline.Cause{Code: timeline.CauseProbeFailed, Probe: lower(ps.typ), Failure: run, Threshold: ps.failure}
	if o.began {
		c.FaultBeganAt = o.request
	}
	if o.fail == badStatus {
		c.Detail, c.HTTPStatus = timeline.ProbeDetailHTTPStatus, o.code
	} else {
		c.Detail = probeDetail[o.fail]
	}
	if c.Detail == "" {
		c.Detail = timeline.ProbeDetailFailed
	}
	return c
}

// probeDetail names each failure of app.go for Cause.Detail.
var probeDetail = map[failure]string{
	timedOut:   timeline.ProbeDetailTimeout,
	refused:    timeline.ProbeDetailRefused,
	eof:        timeline.ProbeDetailEOF,
	execFailed: timeline.ProbeDetailExitCode,
	notServing: timeline.ProbeDetailNotServing,
}

func causeKilling(ps *probeSpec, grace time.Duration) *timeline.Cause {
	return &timeline.Cause{Code: timeline.CauseFailureThreshold, Probe: lower(ps.typ), Threshold: ps.failure, Grace: grace}
}

func causeNotReady(ps *probeSpec, run int) *timeline.Cause {
	if run == 0 {
		return &timeline.Cause{Code: timeline.CauseNotRunning, Probe: lower(readiness)}
	}
	return &timeline.Cause{Code: timeline.CauseReadinessFailed, Probe: lower(readiness), Failure: run, Threshold: ps.failure}
}

// startCauseCode names each startCause kind.
var startCauseCode = [...]string{
	causeFirst:    timeline.CauseFirstStart,
	causeNoExited: timeline.CauseStartNoExited,
	causeRemoved:  timeline.CauseStartRemoved,
	causeDeleted:  timeline.CauseStartDeleted,
	causeNoEntry:  timeline.CauseStartNoBackOff,
	causeExpired:  timeline.CauseStartExpired,
	causeLongAgo:  timeline.CauseStartLongAgo,
	causeWaited:   timeline.CauseStartAfterBackOff,
}

func causeStart(n int, c startCause) *timeline.Cause {
	out := &timeline.Cause{Code: startCauseCode[c.kind], Restart: n}
	switch c.kind {
	case causeDeleted, causeLongAgo, causeWaited:
		out.BackOff = c.was
	case causeNoEntry, causeExpired:
		out.BackOff = c.next
	}
	return out
}

// exitCauseCode names each termCause.
var exitCauseCode = map[termCause]string{
	exitedAtTerm: timeline.CauseExitAtSIGTERM,
	drained:      timeline.CauseDrained,
	sigkilled:    timeline.CauseSIGKILLAfterGrace,
	drainStuck:   timeline.CauseDrainStuck,
	crashed:      timeline.CauseAppExit,
	oomKilled:    timeline.CauseOOMKilled,
}

func causeExit(t termination) *timeline.Cause {
	code := t.code
	return &timeline.Cause{Code: exitCauseCode[t.cause], ExitCode: &code, Grace: t.grace}
}
