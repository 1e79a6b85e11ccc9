package fault

import (
	"crypto/sha256"
	"runtime"
	"time"
)

// Burn does real work (SHA-256 over a buffer) until it has used d of CPU
// time, and returns the wall time it took. CPU time, not wall time, is what
// makes heavy-health teach: under a CPU limit the cgroup throttles the work,
// so 250ms of CPU can take seconds of wall time and outlast the probe's
// timeoutSeconds. The work goes on after the probe gave up, as a real
// health check would. Where the thread's CPU time cannot be read (not
// Linux), wall time stands in.
func Burn(d time.Duration) time.Duration {
	runtime.LockOSThread() // the clock below is this thread's
	defer runtime.UnlockOSThread()
	start, wall := threadCPU(), time.Now()
	var buf [1024]byte
	for threadCPU()-start < d {
		for range 64 {
			sum := sha256.Sum256(buf[:])
			copy(buf[:], sum[:])
		}
	}
	return time.Since(wall)
}
