package bench

import "golang.org/x/sys/unix"

// processCPU is the CPU time this process has used, in nanoseconds
// (CLOCK_PROCESS_CPUTIME_ID: every thread, not the time spent waiting for
// a processor), or -1 if it cannot be read.
func processCPU() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return -1
	}
	return ts.Nano()
}
