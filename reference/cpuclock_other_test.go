//go:build !linux

package reference

import "time"

var clockStart = time.Now()

// cpuClock falls back to the monotonic wall clock.
func cpuClock() time.Duration { return time.Since(clockStart) }
