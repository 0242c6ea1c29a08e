package bench_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// fakeSubject measures nothing: it returns figures decided by the test
// and records the calls it gets.
type fakeSubject struct {
	key      string
	calls    *[]string
	checkErr map[string]error
	// perItem is the ns/item figure it reports, by workload.
	perItem func(w *bench.Workload, call int) float64
	// wrong makes the timed result wrong for these workloads.
	wrong map[string]bool
	// fail makes a measurement fail for these workloads.
	fail  map[string]error
	count int
}

func (f *fakeSubject) Describe() bench.Description {
	return bench.Description{Key: f.key, Name: f.key, Version: "1.0", Language: "python 3.11", Detail: "a fake"}
}

func (f *fakeSubject) Check(_ context.Context, w *bench.Workload) error {
	*f.calls = append(*f.calls, "check "+w.ID+" "+f.key)
	return f.checkErr[w.ID]
}

func (f *fakeSubject) Measure(_ context.Context, w *bench.Workload, ops int, s bench.Settings) (bench.Measurement, error) {
	f.count++
	*f.calls = append(*f.calls, fmt.Sprintf("measure %s %s ops=%d warmup=%v", w.ID, f.key, ops, s.Warmup))
	if err := f.fail[w.ID]; err != nil {
		return bench.Measurement{}, err
	}
	if ops == 0 {
		ops = 1000
	}
	per := 100.0
	if f.perItem != nil {
		per = f.perItem(w, f.count)
	}
	items := float64(ops * w.ItemsPerOp)
	result := w.Result(ops)
	if f.wrong[w.ID] {
		result = scenario.V("wrong")
	}
	return bench.Measurement{Ops: ops, Elapsed: per*items + 5000, Empty: 5000, CPU: per * items / 2, EmptyCPU: 0,
		Allocs: -1, Result: result, Clock: "fake", Resolution: 1}, nil
}

func (f *fakeSubject) Close() error { return nil }

func twoWorkloads() []*bench.Workload {
	return []*bench.Workload{bench.Lookup("asyncgen"), bench.Lookup("tree")}
}

// TestRunInterleaves: each round measures every workload on every subject
// before the next round, the subjects' order rotates, the first
// measurement calibrates and warms up and the others reuse its n.
func TestRunInterleaves(t *testing.T) {
	var calls []string
	a := &fakeSubject{key: "a", calls: &calls}
	b := &fakeSubject{key: "b", calls: &calls}
	var out bytes.Buffer
	set := bench.Settings{Target: 1e6, Warmup: 2e6}
	_, err := bench.Run(context.Background(), []bench.Subject{a, b}, &out,
		bench.Options{Count: 2, Workloads: twoWorkloads(), Settings: set})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"check asyncgen a", "check asyncgen b", "check tree a", "check tree b",
		"measure asyncgen a ops=0 warmup=2ms", "measure asyncgen b ops=0 warmup=2ms",
		"measure tree a ops=0 warmup=2ms", "measure tree b ops=0 warmup=2ms",
		"measure asyncgen b ops=1000 warmup=0s", "measure asyncgen a ops=1000 warmup=0s",
		"measure tree b ops=1000 warmup=0s", "measure tree a ops=1000 warmup=0s",
	}
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
}

// TestRunWritesBenchfmt: the output is the Go benchmark format, with the
// configuration first and one line per measurement, and reads back with
// the figures computed as (elapsed - empty) / items.
func TestRunWritesBenchfmt(t *testing.T) {
	var calls []string
	a := &fakeSubject{key: "cpython-3.11.7", calls: &calls, perItem: func(w *bench.Workload, call int) float64 { return 60 + float64(call) }}
	var out bytes.Buffer
	_, err := bench.Run(context.Background(), []bench.Subject{a}, &out,
		bench.Options{Count: 3, Workloads: twoWorkloads(), Settings: bench.DefaultSettings,
			Config: [][2]string{{"commit", "abc"}}})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"goos: ", "goarch: ", "commit: abc\n", "target: 20ms\n",
		"impl-cpython-3.11.7: cpython-3.11.7 1.0, python 3.11, a fake\n",
		"BenchmarkAsyncIter/workload=asyncgen/impl=cpython-3.11.7 1000 61 ns/item 5 empty-ns/item 30.5 cpu-ns/item\n",
		fmt.Sprintf("BenchmarkAsyncIter/workload=tree/impl=cpython-3.11.7 %d 62 ns/item", 1000*bench.TreeSize),
		"# clock: impl=cpython-3.11.7: fake, resolution 1 ns"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	r, err := bench.ParseResults("out.txt", out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := r.Values[bench.Key{Workload: "asyncgen", Impl: "cpython-3.11.7"}][bench.SecPerItem]
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-15 }
	if len(got) != 3 || !near(got[0], 61e-9) || !near(got[1], 63e-9) || !near(got[2], 65e-9) {
		t.Errorf("asyncgen sec/item = %v, want [61e-9 63e-9 65e-9]", got)
	}
	if r.Config["commit"] != "abc" || len(r.Impls) != 1 || len(r.Workloads) != 2 {
		t.Errorf("config %v impls %v workloads %v", r.Config, r.Impls, r.Workloads)
	}
}

// TestRunLeavesOutWhatCannotRank: a workload whose check fails or that is
// unsupported is not measured; a measurement that breaks or returns the
// wrong result ends that pair; the others are measured in full.
func TestRunLeavesOutWhatCannotRank(t *testing.T) {
	var calls []string
	broken := errors.New("harness crashed")
	a := &fakeSubject{key: "a", calls: &calls,
		checkErr: map[string]error{"asyncgen": &bench.CheckError{}},
		wrong:    map[string]bool{"tree": true}}
	b := &fakeSubject{key: "b", calls: &calls,
		checkErr: map[string]error{"tree": &bench.UnsupportedError{Reason: "no async generators"}},
		fail:     map[string]error{"asyncgen": broken}}
	c := &fakeSubject{key: "c", calls: &calls}
	var out, log bytes.Buffer
	sum, err := bench.Run(context.Background(), []bench.Subject{a, b, c}, &out,
		bench.Options{Count: 3, Workloads: twoWorkloads(), Settings: bench.DefaultSettings, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]int{}
	for _, o := range sum.Outcomes {
		runs[o.Workload+" "+o.Subject] = o.Runs
	}
	want := map[string]int{"asyncgen a": 0, "asyncgen b": 0, "asyncgen c": 3, "tree a": 0, "tree b": 0, "tree c": 3}
	for k, n := range want {
		if runs[k] != n {
			t.Errorf("%s: %d runs, want %d", k, runs[k], n)
		}
	}
	errored := sum.Errored()
	if len(errored) != 2 {
		t.Errorf("errored: %+v, want the wrong result and the crash", errored)
	}
	for _, want := range []string{"workload=asyncgen impl=a: fails the workload's conformance check",
		"workload=tree impl=b: unsupported: no async generators",
		"workload=asyncgen impl=b: measurement 1: harness crashed",
		"workload=tree impl=a: measurement 1: run(1000) returned 'wrong', want 4094"} {
		if !strings.Contains(out.String(), "# not measured: "+want) || !strings.Contains(log.String(), want) {
			t.Errorf("neither the output nor the log say %q:\n%s\n%s", want, out.String(), log.String())
		}
	}
}

// TestRunRejectsANegativeFigure: an empty loop longer than the loop is a
// broken measurement, never a negative figure.
func TestRunRejectsANegativeFigure(t *testing.T) {
	var calls []string
	a := &fakeSubject{key: "a", calls: &calls, perItem: func(*bench.Workload, int) float64 { return -1 }}
	var out bytes.Buffer
	sum, err := bench.Run(context.Background(), []bench.Subject{a}, &out,
		bench.Options{Count: 2, Workloads: twoWorkloads()[:1], Settings: bench.DefaultSettings})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "BenchmarkAsyncIter") || len(sum.Errored()) != 1 ||
		!strings.Contains(sum.Errored()[0].Err.Error(), "less than the empty loop") {
		t.Errorf("a negative figure was not rejected: %v\n%s", sum.Outcomes, out.String())
	}
}

func TestRunRefusesTheSameImplementationTwice(t *testing.T) {
	var calls []string
	_, err := bench.Run(context.Background(), []bench.Subject{&fakeSubject{key: "a", calls: &calls}, &fakeSubject{key: "a", calls: &calls}},
		&bytes.Buffer{}, bench.Options{Count: 1})
	if err == nil || !strings.Contains(err.Error(), `two subjects with the key "a"`) {
		t.Errorf("err = %v", err)
	}
}

// TestMeasureLoop: the in-process measurement times the loop it is given,
// returns its result, subtracts run(0) and counts allocations per call.
func TestMeasureLoop(t *testing.T) {
	sink := make([]*[64]byte, 0, 1<<16)
	l := bench.Loop{Run: func(ops int) (scenario.Value, error) {
		sink = sink[:0]
		for range ops {
			sink = append(sink, new([64]byte)) // one allocation per op
		}
		return scenario.V(ops), nil
	}}
	m, err := bench.MeasureLoop(l, 1000, bench.Settings{Target: 1e6, Warmup: 1e6})
	if err != nil {
		t.Fatal(err)
	}
	if m.Ops != 1000 || !m.Result.Equal(scenario.V(1000)) || m.WarmupRuns < 1 {
		t.Errorf("ops %d result %v warm-up runs %d", m.Ops, m.Result, m.WarmupRuns)
	}
	if m.Elapsed <= 0 || m.Empty < 0 || m.Elapsed < m.Empty {
		t.Errorf("elapsed %v, empty %v", m.Elapsed, m.Empty)
	}
	if m.Allocs < 1000 || m.Allocs > 1010 {
		t.Errorf("allocs = %v, want 1000 (one per op)", m.Allocs)
	}
	calibrated, err := bench.MeasureLoop(l, 0, bench.Settings{Target: 1e5})
	if err != nil || calibrated.Ops < 2 {
		t.Errorf("calibration gave ops=%d, err %v", calibrated.Ops, err)
	}
}

// The Python harnesses take the same steps in Python (pysource.TimingLoop,
// sent with every bench request): with the same constants.
func TestPythonTimingLoopUsesTheSameConstants(t *testing.T) {
	for _, want := range []string{fmt.Sprintf("range(%d)", bench.EmptyRuns), "sorted(empty)[2]",
		fmt.Sprintf("1 << %d", bits.Len(uint(bench.MaxOps))-1), "100 * ops", "1.2 * target"} {
		if !strings.Contains(pysource.TimingLoop, want) {
			t.Errorf("pysource.TimingLoop lacks %q", want)
		}
	}
}

func TestPredict(t *testing.T) {
	for _, c := range []struct {
		n               int
		elapsed, target float64
		want            int
	}{
		{1, 0, 1e6, 100},           // no time measured: a hundredfold
		{1, 1e3, 1e6, 100},         // capped at a hundredfold
		{100, 5e5, 1e6, 240},       // 20% past the target
		{100, 2e6, 1e6, 101},       // already past: grow by one
		{1 << 29, 1, 1e9, 1 << 30}, // capped at MaxOps
	} {
		if got := bench.Predict(c.n, c.elapsed, c.target); got != c.want {
			t.Errorf("Predict(%d, %v, %v) = %d, want %d", c.n, c.elapsed, c.target, got, c.want)
		}
	}
}

func TestSelect(t *testing.T) {
	ws, err := bench.Select("^chain-")
	if err != nil || len(ws) != len(bench.ChainDepths) {
		t.Errorf("Select(^chain-) = %d workloads, %v", len(ws), err)
	}
	if _, err := bench.Select("nothing"); err == nil || !strings.Contains(err.Error(), "asyncgen, class") {
		t.Errorf("Select(nothing): %v", err)
	}
	if _, err := bench.Select("("); err == nil {
		t.Error("Select of a bad pattern succeeded")
	}
}
