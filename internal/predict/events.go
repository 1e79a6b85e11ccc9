package predict

import "time"

// The kubelet's event recorder drops events before they reach the API
// server: its spam filter keeps, per source, object and event type, a token
// bucket of 25 refilled at one event every 5 minutes
// (client-go tools/record/events_cache.go getSpamKey, defaultSpamBurst,
// defaultSpamQPS; the kubelet uses the defaults, cmd/kubelet/app/server.go
// makeEventRecorder). Identical events are counted into one (count++), but
// each still spends a token. So a crash-looping pod shows about 25 Warning
// events (Unhealthy, BackOff) and 25 Normal ones (Pulled, Created, Started,
// Killing), then one of each kind per 5 minutes. The measured seed run shows
// exactly that: Unhealthy ×21 + BackOff ×4 = 25, and Killing ×6 because the
// 7th Killing came after 21 Pulled/Created/Started and 6 Killing events.
const (
	spamBurst = 25
	spamEvery = 300 * time.Second
)

// tokenBucket is one spam-filter record (flowcontrol's passive token bucket
// over golang.org/x/time/rate: full at the first event).
type tokenBucket struct {
	tokens float64
	last   time.Duration
	used   bool
	spent  bool // the bucket ran dry once already
}

// take spends a token at t; ok is false when the event is dropped, and
// first is true for the event that empties the bucket the first time.
func (b *tokenBucket) take(t time.Duration) (ok, first bool) {
	if !b.used {
		b.used, b.tokens, b.last = true, spamBurst, t
	}
	b.tokens = min(spamBurst, b.tokens+float64(t-b.last)/float64(spamEvery))
	b.last = t
	if b.tokens < 1 {
		return false, false
	}
	b.tokens--
	if b.tokens < 1 && !b.spent {
		b.spent = true
		return true, true
	}
	return true, false
}

// startEvents spends the Normal events of one container start: Pulled
// ("already present on machine", images/image_manager.go), Created and
// Started (kuberuntime_container.go startContainer).
func (s *sim) startEvents(t time.Duration) {
	for range 3 {
		s.normal.take(t)
	}
}

// recorded spends a token for an event of the given type and reports
// whether the API server will see it; the note is for the event that
// exhausts the budget.
func (s *sim) recorded(warning bool, t time.Duration) (bool, phrase) {
	b := &s.normal
	if warning {
		b = &s.warning
	}
	ok, first := b.take(t)
	if first {
		return ok, whySpam(warning)
	}
	return ok, phrase{}
}
