package bench_test

// Validation of the measurement itself, on real CPython: the figures agree
// with an independent loop, the empty-loop subtraction never makes one
// negative, and ten runs pin a figure down. These measure; none asserts a
// time.
//
// How close two figures agree and how tight ten runs are is a property of
// the machine as much as of the harness: on a shared, busy machine no bound
// tight enough to mean something holds every time. So these tests have two
// strengths. Under make test they check only what load cannot break: every
// figure positive, the harness within a factor of 2 of the plain loop (a
// miscounted n, a unit slip or a per-call figure reported per item is off by
// far more), ten runs giving ten figures and a confidence interval around
// their median. With AITERSPEC_BENCH_VALIDATE=1 (make bench-validate, run
// under the test lock on a quiet machine) they also hold issue 9's bounds:
// agreement within 5%, a confidence interval within ±3%, and fail, never
// skip, when a bound is missed. Every comparison interleaves what it
// compares and uses medians; the process CPU clock, which does not count the
// time spent waiting for a processor, is checked always, the monotonic one
// when the machine was not busy (wall time at most 1.1 times the CPU time).

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/bench/native"
	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/scenario"
	"golang.org/x/perf/benchmath"
)

// busyRatio is the wall/CPU ratio above which the machine counts as busy:
// more than a tenth of the wall time went to waiting for a processor.
const busyRatio = 1.10

// strict reports whether issue 9's tight bounds are to be held
// (AITERSPEC_BENCH_VALIDATE set, as make bench-validate does).
func strict() bool { return os.Getenv("AITERSPEC_BENCH_VALIDATE") != "" }

func openCPython(t *testing.T) (adapters.Adapter, bench.Subject) {
	t.Helper()
	peertest.Find(t, "python3")
	a, err := adapters.Open("cpython", adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := bench.AdapterSubject("cpython", a)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return a, s
}

// plainLoop is the independent measurement: a source-mode program timing
// a plain async for over the workload's generator with time.perf_counter_ns
// (and time.process_time_ns), printing both.
func plainLoop(n int) *scenario.Scenario {
	return &scenario.Scenario{ID: "BENCH-VALIDATE", Needs: []scenario.Capability{scenario.CapSource}, Mode: scenario.SourceMode,
		Source: fmt.Sprintf(`import asyncio, time

async def gen(n):
    for i in range(n):
        yield i

async def main():
    c0 = time.process_time_ns()
    t0 = time.perf_counter_ns()
    async for x in gen(%d):
        pass
    t1 = time.perf_counter_ns()
    c1 = time.process_time_ns()
    print(t1 - t0, c1 - c0)

asyncio.run(main())
`, n)}
}

// TestCPythonFigureAgreesWithAPlainLoop: the asyncgen figure CPython's
// harness measures (calibrated, warmed up, the empty loop subtracted, sent
// over the protocol) agrees within 5% with time.perf_counter_ns around a
// plain async for in the same interpreter, the two interleaved in one run.
func TestCPythonFigureAgreesWithAPlainLoop(t *testing.T) {
	a, s := openCPython(t)
	ctx := context.Background()
	w := bench.Lookup("asyncgen")
	set := bench.Settings{Target: 20 * time.Millisecond, Warmup: 100 * time.Millisecond}
	first, err := s.Measure(ctx, w, 0, set)
	if err != nil {
		t.Fatal(err)
	}
	ops := first.Ops
	set.Warmup = 0
	var hWall, hCPU, pWall, pCPU []float64
	harness := func() {
		m, err := s.Measure(ctx, w, ops, set)
		if err != nil {
			t.Fatal(err)
		}
		hWall, hCPU = append(hWall, m.PerItem(1)), append(hCPU, m.CPUPerItem(1))
	}
	plain := func() {
		res := a.Run(ctx, plainLoop(ops))
		if res.State != adapters.Completed || len(res.Observations) != 1 || res.Observations[0].Value == nil {
			t.Fatalf("the plain loop: %s %s %v", res.State, res.Reason, res.Observations)
		}
		f := strings.Fields(res.Observations[0].Value.Str)
		wall, err1 := strconv.ParseFloat(f[0], 64)
		cpu, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("the plain loop printed %q", res.Observations[0].Value.Str)
		}
		pWall, pCPU = append(pWall, wall/float64(ops)), append(pCPU, cpu/float64(ops))
	}
	const rounds = 16
	for r := range rounds {
		// A B B A: drift hits both alike.
		if r%2 == 0 {
			harness()
			plain()
		} else {
			plain()
			harness()
		}
	}
	cpuRatio := bench.Median(hCPU) / bench.Median(pCPU)
	wallRatio := bench.Median(hWall) / bench.Median(pWall)
	busy := bench.Median(pWall) / bench.Median(pCPU)
	t.Logf("asyncgen on CPython, %d items, medians of %d interleaved rounds: harness %.1f ns/item (CPU %.1f), plain loop %.1f ns/item (CPU %.1f); harness/plain: wall %.3f, CPU %.3f; the plain loop's wall/CPU %.2f",
		ops, rounds, bench.Median(hWall), bench.Median(hCPU), bench.Median(pWall), bench.Median(pCPU), wallRatio, cpuRatio, busy)
	for what, v := range map[string]float64{"harness": bench.Median(hWall), "harness CPU": bench.Median(hCPU), "plain loop": bench.Median(pWall), "plain loop CPU": bench.Median(pCPU)} {
		if !(v > 0) {
			t.Errorf("%s: %g ns/item, want a positive figure", what, v)
		}
	}
	// Load slows both alike (interleaved, medians, CPU clock): a factor of
	// 2 apart is an error in the harness whatever the machine is doing.
	if !(cpuRatio > 0.5 && cpuRatio < 2) {
		t.Errorf("harness/plain loop on the CPU clock = %.3f, want within a factor of 2", cpuRatio)
	}
	if !strict() {
		return
	}
	if math.Abs(cpuRatio-1) > 0.05 {
		t.Errorf("the harness's figure is %.1f%% off the plain loop's on the CPU clock, want within 5%%", 100*(cpuRatio-1))
	}
	switch {
	case busy > busyRatio:
		t.Logf("the machine was busy (wall/CPU %.2f > %.2f): the monotonic clock's agreement (%.1f%%) is not checked", busy, busyRatio, 100*(wallRatio-1))
	case math.Abs(wallRatio-1) > 0.05:
		t.Errorf("the harness's figure is %.1f%% off the plain loop's on the monotonic clock, want within 5%%", 100*(wallRatio-1))
	}
}

// TestEmptyLoopSubtractionIsNeverNegative measures every workload on every
// implementation at hand, a few times each, through the driver: no figure
// is negative, on either clock, and the empty loop was measured.
func TestEmptyLoopSubtractionIsNeverNegative(t *testing.T) {
	var subjects []bench.Subject
	for _, name := range native.Names {
		s, _ := native.Open(name)
		subjects = append(subjects, s)
	}
	for _, name := range []string{"cpython", "pypy"} {
		peertest.Find(t, map[string]string{"cpython": "python3", "pypy": "pypy3"}[name])
		s, err := bench.OpenAdapter(name, adapters.Options{})
		if err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, s)
	}
	defer func() {
		for _, s := range subjects {
			s.Close()
		}
	}()
	var out bytes.Buffer
	sum, err := bench.Run(context.Background(), subjects, &out, bench.Options{Count: 3,
		Settings: bench.Settings{Target: 5 * time.Millisecond, Warmup: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sum.Errored() {
		t.Errorf("%s on %s: %v", o.Workload, o.Subject, o.Err)
	}
	res, err := bench.ParseResults("out.txt", out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for k, units := range res.Values {
		for unit, vs := range units {
			for _, v := range vs {
				n++
				if v < 0 {
					t.Errorf("%s: %s %g < 0", k, unit, v)
				}
			}
		}
		if e := units[bench.EmptySecPerItem]; len(e) == 0 || bench.Median(e) <= 0 {
			t.Errorf("%s: the empty loop was not measured (%v)", k, e)
		}
	}
	t.Logf("%d figures of %d benchmarks, none negative", n, len(res.Values))
}

// TestTenRunsPinTheFigureDown: ten interleaved runs on CPython give ten
// positive figures for each workload and a benchstat confidence interval
// of their median; strictly, one within ±3%.
func TestTenRunsPinTheFigureDown(t *testing.T) {
	_, s := openCPython(t)
	var out bytes.Buffer
	ws := []*bench.Workload{bench.Lookup("asyncgen"), bench.Lookup("class"), bench.Lookup("tree")}
	if _, err := bench.Run(context.Background(), []bench.Subject{s}, &out, bench.Options{Count: 10, Workloads: ws,
		Settings: bench.Settings{Target: 20 * time.Millisecond, Warmup: 100 * time.Millisecond}}); err != nil {
		t.Fatal(err)
	}
	res, err := bench.ParseResults("out.txt", out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		k := bench.Key{Workload: w.ID, Impl: res.Impls[0]}
		for _, unit := range []string{bench.SecPerItem, bench.CPUSecPerItem} {
			for _, v := range res.Values[k][unit] {
				if !(v > 0) {
					t.Errorf("%s: %s %g, want positive", w.ID, unit, v)
				}
			}
		}
		cpu, n, ok := res.Summary(k, bench.CPUSecPerItem)
		wall, wn, _ := res.Summary(k, bench.SecPerItem)
		if !ok || n != 10 || wn != 10 {
			t.Fatalf("%s: %d runs (%d on the monotonic clock), want 10", w.ID, n, wn)
		}
		for _, c := range []struct {
			clock string
			sum   benchmath.Summary
		}{{"CPU", cpu}, {"monotonic", wall}} {
			if !(c.sum.Lo > 0 && c.sum.Lo <= c.sum.Center && c.sum.Center <= c.sum.Hi) || math.IsInf(c.sum.Hi, 0) {
				t.Errorf("%s: %s clock: median %g with CI [%g, %g], want 0 < lo <= median <= hi", w.ID, c.clock, c.sum.Center, c.sum.Lo, c.sum.Hi)
			}
		}
		cpuCI := math.Max(cpu.Hi/cpu.Center-1, 1-cpu.Lo/cpu.Center)
		wallCI := math.Max(wall.Hi/wall.Center-1, 1-wall.Lo/wall.Center)
		busy := wall.Center / cpu.Center
		t.Logf("%s: %s (CI ±%.1f%%), CPU %s (CI ±%.1f%%), wall/CPU %.2f",
			w.ID, bench.FormatSeconds(wall.Center), 100*wallCI, bench.FormatSeconds(cpu.Center), 100*cpuCI, busy)
		if !strict() {
			continue
		}
		if cpuCI > 0.03 {
			t.Errorf("%s: ten runs give a CI of ±%.1f%% on the CPU clock, want within ±3%%", w.ID, 100*cpuCI)
		}
		switch {
		case busy > busyRatio:
			t.Logf("%s: the machine was busy (wall/CPU %.2f > %.2f): the monotonic clock's CI is not checked", w.ID, busy, busyRatio)
		case wallCI > 0.03:
			t.Errorf("%s: ten runs give a CI of ±%.1f%% on the monotonic clock, want within ±3%%", w.ID, 100*wallCI)
		}
	}
}
