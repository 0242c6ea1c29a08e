package bench

import (
	"fmt"
	"runtime"
	"sort"
	"time"

	"github.com/aiterspec/aiterspec/scenario"
)

// Settings say how long one measurement lasts.
type Settings struct {
	// Target is how long one timed call of run(n) must last at least; the
	// calibration picks n for it. It is raised to 100 ticks of the
	// implementation's clock when the clock is coarser.
	Target time.Duration
	// Warmup is how long the implementation runs the workload untimed
	// before its first measurement of it. A JIT may take longer.
	Warmup time.Duration
}

// DefaultSettings are those of `aiterspec bench` without flags.
var DefaultSettings = Settings{Target: 20 * time.Millisecond, Warmup: 100 * time.Millisecond}

// EmptyRuns is how many times the empty loop run(0) is timed per
// measurement; the median is subtracted.
const EmptyRuns = 5

// Measurement is one timed call of a workload's run(n), with the empty
// loop run(0) timed the same way in the same call.
type Measurement struct {
	// Ops is n, the number of operations timed.
	Ops int
	// Elapsed is how long run(Ops) took, in nanoseconds.
	Elapsed float64
	// Empty is how long run(0) took (the median of EmptyRuns), in
	// nanoseconds: creating what the loop iterates over, entering and
	// leaving the loop, reading the clock.
	Empty float64
	// CPU and EmptyCPU are the process CPU time of the same two calls,
	// in nanoseconds, or -1 where the implementation has no CPU clock.
	// On a busy machine the wall clock also counts the time the process
	// waited for a processor; the CPU clock does not.
	CPU, EmptyCPU float64
	// Allocs is the number of heap allocations run(Ops) made beyond
	// run(0)'s, or -1 where the implementation cannot count them.
	Allocs float64
	// Result is what run(Ops) returned.
	Result scenario.Value
	// Clock names the clock, e.g. "time.perf_counter_ns".
	Clock string
	// Resolution is the clock's resolution in nanoseconds.
	Resolution float64
	// WarmupRuns is how many untimed calls preceded this measurement.
	WarmupRuns int
}

// PerItem is the figure a measurement gives: (Elapsed - Empty) per item.
func (m Measurement) PerItem(itemsPerOp int) float64 {
	return (m.Elapsed - m.Empty) / float64(m.Ops*itemsPerOp)
}

// CPUPerItem is (CPU - EmptyCPU) per item, or -1 when unknown.
func (m Measurement) CPUPerItem(itemsPerOp int) float64 {
	if m.CPU < 0 || m.EmptyCPU < 0 {
		return -1
	}
	return (m.CPU - m.EmptyCPU) / float64(m.Ops*itemsPerOp)
}

// EmptyPerItem is how much the empty loop took off each item.
func (m Measurement) EmptyPerItem(itemsPerOp int) float64 {
	return m.Empty / float64(m.Ops*itemsPerOp)
}

// AllocsPerItem is Allocs per item, or -1 when unknown.
func (m Measurement) AllocsPerItem(itemsPerOp int) float64 {
	if m.Allocs < 0 {
		return -1
	}
	return m.Allocs / float64(m.Ops*itemsPerOp)
}

// Loop is a workload's run(n) written in Go, for in-process subjects.
type Loop struct {
	// Prepare, if set, runs untimed before each timed call with that
	// call's n: it builds what the call needs but must not pay for.
	Prepare func(ops int)
	// Run performs ops operations and returns the workload's result.
	Run func(ops int) (scenario.Value, error)
}

// MaxOps bounds the calibration, so that a loop that takes no time cannot
// grow n forever.
const MaxOps = 1 << 30

// MeasureLoop measures l in this process exactly as PROTOCOL.md asks a
// harness to: when ops is 0 it calibrates n the way testing.B does (1,
// then a prediction from the last time, at most 100 times more, until one
// call lasts s.Target on both the monotonic and the CPU clock); it warms up for s.Warmup; it times run(0)
// EmptyRuns times and run(n) once with Go's monotonic clock, after a
// garbage collection, and counts the heap allocations of both. It reads
// the process CPU clock around the same calls.
func MeasureLoop(l Loop, ops int, s Settings) (Measurement, error) {
	m := Measurement{Clock: "time.Now (monotonic)", Resolution: 1}
	var cpu float64 // CPU time of the last timeOnce, or -1
	prepare := func(n int) {
		if l.Prepare != nil {
			l.Prepare(n)
		}
	}
	// timeOnce times run(n); prepare(n) must have run.
	timeOnce := func(n int) (time.Duration, scenario.Value, error) {
		c0 := processCPU()
		start := time.Now()
		v, err := l.Run(n)
		d := time.Since(start)
		c1 := processCPU()
		cpu = -1
		if c0 >= 0 && c1 >= 0 {
			cpu = float64(c1 - c0)
		}
		return d, v, err
	}
	if ops <= 0 {
		ops = 1
		for {
			prepare(ops)
			d, _, err := timeOnce(ops)
			if err != nil {
				return m, err
			}
			// The shorter of the two clocks: time spent waiting for a
			// processor on a busy machine must not end the calibration
			// with a tiny n.
			if cpu >= 0 {
				d = min(d, time.Duration(cpu))
			}
			if d >= s.Target || ops >= MaxOps {
				break
			}
			ops = Predict(ops, float64(d), float64(s.Target))
		}
	}
	m.Ops = ops
	prepare(ops)
	for spent := time.Duration(0); s.Warmup > 0 && (m.WarmupRuns == 0 || spent < s.Warmup); m.WarmupRuns++ {
		d, _, err := timeOnce(ops)
		if err != nil {
			return m, err
		}
		spent += d
	}

	var ms runtime.MemStats
	mallocs := func() uint64 { runtime.ReadMemStats(&ms); return ms.Mallocs }
	empties, emptyCPUs := make([]float64, EmptyRuns), make([]float64, EmptyRuns)
	var emptyAllocs uint64
	prepare(0)
	for i := range empties {
		before := mallocs()
		d, _, err := timeOnce(0)
		if err != nil {
			return m, err
		}
		emptyAllocs = mallocs() - before
		empties[i], emptyCPUs[i] = float64(d), cpu
	}
	m.Empty, m.EmptyCPU = median(empties), median(emptyCPUs)
	prepare(ops)
	runtime.GC()
	before := mallocs()
	d, v, err := timeOnce(ops)
	if err != nil {
		return m, err
	}
	allocs := mallocs() - before
	m.Elapsed, m.Result, m.CPU = float64(d), v, cpu
	if m.CPU < 0 || m.EmptyCPU < 0 {
		m.CPU, m.EmptyCPU = -1, -1
	}
	m.Allocs = max(0, float64(allocs)-float64(emptyAllocs))
	return m, nil
}

// Predict is the next n of a calibration, as testing.B predicts it: aim
// 20% past the target from the last call's time, grow at least by one
// and at most a hundredfold.
func Predict(n int, elapsed, target float64) int {
	next := 100 * n
	if elapsed > 0 {
		next = int(float64(n) * 1.2 * target / elapsed)
	}
	next = min(next, 100*n, MaxOps)
	return max(next, n+1)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// checkResult compares what a timed run returned with what the workload
// must return for that many operations.
func checkResult(w *Workload, m Measurement) error {
	if want := w.Result(m.Ops); !want.Equal(m.Result) {
		return fmt.Errorf("run(%d) returned %v, want %v: the timed loop did not do the workload's work", m.Ops, m.Result, want)
	}
	return nil
}

// validate rejects a measurement that cannot be right: no operations, a
// negative time, or a figure below zero (the empty loop took longer than
// the whole loop, which only noise or a broken harness can do).
func validate(w *Workload, m Measurement) error {
	switch {
	case m.Ops <= 0:
		return fmt.Errorf("the measurement has ops=%d", m.Ops)
	case m.Elapsed < 0 || m.Empty < 0:
		return fmt.Errorf("negative time (elapsed %v ns, empty %v ns)", m.Elapsed, m.Empty)
	case m.Elapsed < m.Empty:
		return fmt.Errorf("run(%d) took %v ns, less than the empty loop's %v ns: the clock or the calibration is broken", m.Ops, m.Elapsed, m.Empty)
	case m.CPU >= 0 && m.EmptyCPU >= 0 && m.CPU < m.EmptyCPU:
		return fmt.Errorf("run(%d) took %v ns of CPU time, less than the empty loop's %v ns: the CPU clock is broken", m.Ops, m.CPU, m.EmptyCPU)
	}
	return checkResult(w, m)
}
