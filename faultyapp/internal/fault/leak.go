package fault

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

const (
	mib  = 1 << 20
	page = 4 << 10
)

// Leaker allocates memory and keeps it, so the container grows until its
// cgroup memory limit OOM-kills it (reason OOMKilled, exit 137).
type Leaker struct {
	rateMiB  int
	interval time.Duration // one step of rateMiB each interval; a second in production
	mu       sync.Mutex
	held     [][]byte // never released: that is the leak
	total    atomic.Int64
	running  atomic.Bool
}

// NewLeaker returns a leaker that grows by rateMiB MiB per second.
func NewLeaker(rateMiB int) *Leaker {
	return &Leaker{rateMiB: rateMiB, interval: time.Second}
}

// Held returns the bytes held so far.
func (l *Leaker) Held() int64 { return l.total.Load() }

// Run leaks until ctx ends (in a container: until the kernel kills it).
// The memory stays held after Run returns. A second Run does nothing.
func (l *Leaker) Run(ctx context.Context, log *reqlog.Logger) {
	if l.running.Swap(true) {
		return
	}
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		l.step()
		log.Eventf("leak: holding %d MiB", l.total.Load()/mib)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// step allocates rateMiB MiB and writes to every page: untouched pages are
// not resident, so they would not count against the memory limit.
func (l *Leaker) step() {
	b := make([]byte, l.rateMiB*mib)
	for i := 0; i < len(b); i += page {
		b[i] = 1
	}
	l.mu.Lock()
	l.held = append(l.held, b)
	l.mu.Unlock()
	l.total.Add(int64(len(b)))
}
