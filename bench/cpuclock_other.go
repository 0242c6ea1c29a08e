//go:build !linux

package bench

// processCPU reports no CPU clock outside Linux.
func processCPU() int64 { return -1 }
