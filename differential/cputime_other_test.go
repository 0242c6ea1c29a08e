//go:build !unix

package differential

import "time"

// cpuTime is not measured here: BenchmarkSearch reports wall-clock
// throughput only.
func cpuTime() time.Duration { return 0 }
