//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/probedrill/probedrill/internal/drill"
	"github.com/probedrill/probedrill/internal/predict"
)

// Creating a pod is the most expensive thing a drill asks of the cluster:
// a sandbox, its network and a container, each a few runc and CNI calls.
// Sixteen drills starting at once on two cores (make e2e) took 50–75 s
// from pod creation to the first container start, which no prediction of
// the kubelet can honestly cover. So drills start through a few slots: a
// drill takes one before creating its pod and gives it back once its first
// container runs, and the rest of the suite's load (probes, restarts) is
// what the cluster then has to carry. Slots are files locked with flock(2),
// shared by the suite's processes (one directory, made in
// SynchronizedBeforeSuite); process p uses slot p mod startSlots.
const startSlots = 4

// slotPoll is how often a process tries its slot again while another holds it.
const slotPoll = 200 * time.Millisecond

// slotDir is the directory of the slot files, set in SynchronizedBeforeSuite.
var slotDir string

func newSlotDir() string {
	dir, err := os.MkdirTemp("", "probedrill-e2e-slots-")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(os.RemoveAll, dir)
	return dir
}

// slot is one held start slot.
type slot struct{ f *os.File }

// takeSlot blocks until this process's slot is free or ctx ends.
func takeSlot(ctx context.Context) (slot, error) {
	name := filepath.Join(slotDir, fmt.Sprintf("slot-%d", GinkgoParallelProcess()%startSlots))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return slot{}, fmt.Errorf("start slot: %w", err)
	}
	tick := time.NewTicker(slotPoll)
	defer tick.Stop()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return slot{f}, nil
		}
		if err != syscall.EWOULDBLOCK {
			f.Close()
			return slot{}, fmt.Errorf("start slot %s: %w", name, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return slot{}, ctx.Err()
		case <-tick.C:
		}
	}
}

// release gives the slot back (closing the file drops the lock).
func (s slot) release() { s.f.Close() }

// releaseWhenStarted gives the slot back once the drill's first container
// runs, or after the longest first start the model allows, or when ctx ends.
func (s slot) releaseWhenStarted(ctx context.Context, d *drill.Drill) {
	defer s.release()
	_ = d.WaitRunning(ctx, predict.DefaultKubelet().FirstStart.Max) // ctx's end only ends the wait
}
