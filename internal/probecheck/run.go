package probecheck

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/probedrill/probedrill/internal/drill"
)

// cleanupTimeout bounds the deletion of the drills' pods and namespaces,
// which must happen even after Ctrl-C cancelled the run's context.
const cleanupTimeout = time.Minute

// Run starts every drill in its own namespace, watches them all at once for
// the window, judges them, and deletes every namespace again, also when ctx
// ends early (Ctrl-C): then the error is ctx.Err() itself when the cleanup
// went well, and the results are nil.
// progress, if not nil, gets a one-line summary after each observed change.
func (k *Check) Run(ctx context.Context, cs kubernetes.Interface, progress func(string)) (results []Result, err error) {
	started := make([]*drill.Drill, len(k.Plans))
	defer func() {
		if cerr := cleanup(ctx, started); cerr != nil {
			err = errors.Join(err, fmt.Errorf("cleaning up: %w", cerr))
		}
	}()
	for i, p := range k.Plans {
		if p == nil {
			continue
		}
		d, err := p.Start(ctx, cs)
		if err != nil {
			return nil, err
		}
		started[i] = d
		// Pods created in a burst start late on a small node (sandboxes
		// and CNI compete for the CPU), and a late start shifts every
		// entry after it; one at a time, each starts about a second after
		// its creation, as the model expects.
		if err := d.WaitRunning(ctx, staggerMax); err != nil {
			return nil, err
		}
	}
	if err := k.watch(ctx, started, progress); err != nil {
		return nil, err
	}
	return k.observed(ctx, started), nil
}

// staggerMax bounds how long Run waits for one drill's container before it
// starts the next.
const staggerMax = 10 * time.Second

// watch waits for every drill's window at once.
func (k *Check) watch(ctx context.Context, ds []*drill.Drill, progress func(string)) error {
	var mu sync.Mutex
	report := func() {
		if progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		progress(k.summary(ds))
	}
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		if d == nil {
			continue
		}
		wg.Go(func() {
			_, err := d.Wait(ctx, report)
			if err == nil {
				err = k.extend(ctx, d, report)
			}
			if err != nil {
				errs[i] = fmt.Errorf("watching %s in %s: %w", d.Scenario.Name, d.Namespace, err)
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

// Runnable is how many drills run (skipped faults have none).
func (k *Check) Runnable() int {
	n := 0
	for _, p := range k.Plans {
		if p != nil {
			n++
		}
	}
	return n
}

// settle is how long past a window's end the watch goes on, for the API
// server to deliver what happened at its very end.
const settle = 2 * time.Second

// extend keeps watching d after drill.Wait, which stops window after the
// pod's creation, until window after its first container started (see
// windowEnd): on a busy cluster that start may come many seconds late.
func (k *Check) extend(ctx context.Context, d *drill.Drill, onChange func()) error {
	obs := d.Observer()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for obs.Elapsed() < windowEnd(obs.Timeline(), k.Window)+settle {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, open := <-obs.Changes():
			if !open {
				return nil
			}
			onChange()
		case <-tick.C:
		}
	}
	return nil
}

// summary is the progress line: each fault's restart count so far.
func (k *Check) summary(ds []*drill.Drill) string {
	var parts []string
	for i, d := range ds {
		if d != nil {
			parts = append(parts, fmt.Sprintf("%s %d↻", k.Drills[i].Fault, d.Observer().RestartCount()))
		}
	}
	return strings.Join(parts, " · ")
}

// observed judges each drill on its final observation.
func (k *Check) observed(ctx context.Context, ds []*drill.Drill) []Result {
	out := make([]Result, len(k.Drills))
	for i := range k.Drills {
		d := ds[i]
		if d == nil {
			out[i] = k.result(i, nil, nil, "")
			continue
		}
		t := d.Observation(ctx, true).Timeline
		o := outcome(t, k.Window)
		p, late := k.conditioned(i, t)
		out[i] = k.result(i, p, &o, d.Namespace)
		out[i].StartedAt = late
	}
	return out
}

// cleanup deletes every started drill's namespace, with a context of its
// own: ctx may be the one Ctrl-C cancelled.
func cleanup(ctx context.Context, ds []*drill.Drill) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	var errs []error
	for _, d := range ds {
		if d != nil {
			errs = append(errs, d.Cleanup(ctx))
		}
	}
	return errors.Join(errs...)
}
