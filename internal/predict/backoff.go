package predict

import "time"

// backOff is the kubelet's CrashLoopBackOff entry for one container: a
// client-go flowcontrol.Backoff (k8s.io/client-go/util/flowcontrol/backoff.go,
// v0.37.2) built by kubelet.go NewMainKubelet with no jitter and an expiry of
// 600 s. Times are offsets from pod creation.
type backOff struct {
	initial, limit time.Duration
	present        bool
	delay          time.Duration // entry.backoff
	lastUpdate     time.Duration // when Next last ran: the last (re)start
}

func newBackOff(k Kubelet) backOff {
	initial, limit := k.backOffBounds()
	return backOff{initial: initial, limit: limit}
}

// expired is the kubelet's HasExpiredFunc: eventTime − lastUpdate > 600 s.
func (b *backOff) expired(event time.Duration) bool {
	return event-b.lastUpdate > backOffExpiry
}

// gc drops an entry nobody touched for 600 s (flowcontrol.Backoff.GC, run
// by the kubelet's housekeeping every 2 s). This is how a container that
// ran for more than 10 minutes gets a fresh back-off.
func (b *backOff) gc(now time.Duration) {
	if b.present && b.expired(now) {
		b.present = false
	}
}

// inBackOffSince is IsInBackOffSince(key, finishedAt): true while less than
// the current delay has passed since the exited container finished. bias
// shifts the comparison to explore near-ties (see Kubelet.TieMargin).
func (b *backOff) inBackOffSince(finished, now, bias time.Duration) bool {
	if !b.present || b.expired(finished) {
		return false
	}
	return now-finished+bias < b.delay
}

// next is Next(key, finishedAt), called when a restart goes ahead: the
// first delay, or double the last up to the cap.
func (b *backOff) next(finished, now time.Duration) {
	if !b.present || b.expired(finished) {
		b.present, b.delay = true, b.initial
	} else {
		b.delay = min(2*b.delay, b.limit)
	}
	b.lastUpdate = now
}
