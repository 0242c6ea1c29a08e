package pysource

import (
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
)

// Time is the name of the timing loop a bench program defines.
const Time = "_aiterspec_time"

// Bench renders the program of a bench request (PROTOCOL.md, "bench"):
// the workload's [Program] followed by [TimingLoop]. A harness executes it
// (a workload's main is empty), then runs
// `await _aiterspec_time(entry, ops, target_ns, warmup_ns, clock, cpu)` in
// one event loop and sends what it returns, the result converted to an
// observed value.
func Bench(s *scenario.Scenario) (string, error) {
	program, err := Program(s)
	if err != nil {
		return "", err
	}
	if program != "" && !strings.HasSuffix(program, "\n") {
		program += "\n"
	}
	return program + TimingLoop, nil
}

// TimingLoop is PROTOCOL.md's four steps of a bench request in Python, the
// same steps bench.MeasureLoop takes in Go: entry is the workload's
// `async def run(n)`, clock a module with perf_counter (Python's time, or
// what a host puts in its place), cpu the process CPU clock in
// nanoseconds or None. It returns the reply's bench object, with the raw
// value run(ops) returned as its result. (One raw string: adapters/python's
// tests read it from this file.)
const TimingLoop = `async def _aiterspec_time(entry, ops, target_ns, warmup_ns, clock, cpu):
    import gc, sys
    wall = getattr(clock, "perf_counter_ns", None) or (lambda: int(clock.perf_counter() * 1e9))
    try:
        resolution = max(1.0, clock.get_clock_info("perf_counter").resolution * 1e9)
    except Exception:
        resolution = 1000.0
    last = {}

    async def once(n):
        c0 = cpu() if cpu else 0
        t0 = wall()
        last["result"] = await entry(n)
        t1 = wall()
        last["cpu"] = cpu() - c0 if cpu else None
        return t1 - t0

    if ops <= 0:  # 1. calibrate as testing.B does, until a call lasts the target on both clocks
        ops, target = 1, max(target_ns, 100 * resolution)
        while True:
            d = await once(ops)
            if cpu:
                d = min(d, last["cpu"])  # a busy machine's waiting must not end the calibration early
            if d >= target or ops >= 1 << 30:
                break
            ops = max(ops + 1, min(100 * ops, 1 << 30, int(ops * 1.2 * target / d) if d > 0 else 100 * ops))
    runs, spent, best = 0, 0, None
    jit = sys.implementation.name != "cpython"  # 2. warm up; a JIT may go on while calls get faster
    while warmup_ns > 0:
        d = await once(ops)
        runs, spent = runs + 1, spent + d
        faster, best = best is None or d < 0.97 * best, d if best is None else min(best, d)
        if spent >= warmup_ns and not (jit and faster and spent < 10 * warmup_ns):
            break
    empty, empty_cpu = [], []
    for _ in range(5):  # 3. the empty loop, its median
        empty.append(await once(0))
        empty_cpu.append(last["cpu"])
    gc.collect()  # 4. the measurement
    out = {"ops": ops, "elapsed_ns": await once(ops), "empty_ns": sorted(empty)[2], "result": last["result"],
           "clock": "time.perf_counter_ns", "resolution_ns": resolution, "warmup_runs": runs}
    if cpu:
        out["cpu_ns"], out["empty_cpu_ns"] = last["cpu"], sorted(empty_cpu)[2]
    return out
`
