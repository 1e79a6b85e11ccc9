package fault

import (
	"syscall"
	"time"
	"unsafe"
)

// clockThreadCPUTime is CLOCK_THREAD_CPUTIME_ID from <time.h>. It includes
// the running slice, unlike getrusage(RUSAGE_THREAD), which lags by up to a
// scheduler tick.
const clockThreadCPUTime = 3

// threadCPU is the CPU time (user + system) of the calling OS thread.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	if errno != 0 {
		return time.Duration(time.Now().UnixNano()) // fall back to wall time
	}
	return time.Duration(ts.Nano())
}
