package reference

import (
	"syscall"
	"time"
	"unsafe"
)

// cpuClock reads CLOCK_THREAD_CPUTIME_ID: time the process was
// descheduled by a busy machine does not count.
func cpuClock() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
