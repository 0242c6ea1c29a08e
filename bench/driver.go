package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"
)

// BenchmarkName is the base name of every result line:
// BenchmarkAsyncIter/workload=ID/impl=KEY.
const BenchmarkName = "AsyncIter"

// The units of a result line. benchstat shows ns as seconds ("sec/item").
const (
	UnitPerItem      = "ns/item"       // (run(n) - run(0)) per item, on the monotonic wall clock
	UnitCPUPerItem   = "cpu-ns/item"   // the same on the process CPU clock, where there is one
	UnitEmptyPerItem = "empty-ns/item" // the empty loop run(0), spread over the items
	UnitAllocs       = "allocs/item"   // heap allocations per item, where counted
)

// Options configure [Run].
type Options struct {
	// Count is how many measurements of each workload on each subject.
	Count int
	// Workloads to measure; nil means all.
	Workloads []*Workload
	// Settings of each measurement.
	Settings Settings
	// Config lines written before the results (key, value), after goos,
	// goarch and cpu: the suite's commit, say.
	Config [][2]string
	// NotOpened are implementations left out before the run (not
	// installed, or unable to time workloads), each "impl=NAME: why":
	// written as "# not measured" comments, so that the reports say so.
	NotOpened []string
	// Log receives one line per workload that is not measured on a
	// subject, and why. nil discards them.
	Log io.Writer
	// Progress, if set, receives a progress line rewritten in place
	// (a terminal).
	Progress io.Writer
}

// Outcome is what happened to one workload on one subject.
type Outcome struct {
	Subject, Workload string
	// Runs is how many measurements were written.
	Runs int
	// Err is why the workload was not (fully) measured: an
	// *UnsupportedError, a *CheckError, or an error of the measurement.
	Err error
}

// Summary is what [Run] did.
type Summary struct {
	Outcomes []Outcome
}

// Errored reports the outcomes whose error is neither unsupported nor a
// failed conformance check: the implementation or its harness broke while
// being measured.
func (s *Summary) Errored() []Outcome {
	var out []Outcome
	for _, o := range s.Outcomes {
		var ce *CheckError
		if o.Err != nil && !IsUnsupported(o.Err) && !errors.As(o.Err, &ce) {
			out = append(out, o)
		}
	}
	return out
}

// Run measures every workload on every subject o.Count times and writes
// one result line per measurement to out, in the Go benchmark format.
//
// First it runs each workload's conformance check on each subject; a
// workload a subject does not pass is not measured there (it is logged,
// and written as a comment line). Then it interleaves: measurement k of a
// workload is taken on every subject before measurement k+1 of it on any,
// so that drift of the machine hits all subjects alike, and the order of
// the subjects rotates from one round to the next. The first measurement
// of each pair calibrates n and warms up; the others reuse that n.
//
// A measurement that fails (a crash, a timeout, a result that is not the
// workload's) ends that pair; the others go on. Run returns an error only
// when out cannot be written or ctx is done.
func Run(ctx context.Context, subjects []Subject, out io.Writer, o Options) (*Summary, error) {
	if o.Count <= 0 {
		o.Count = 1
	}
	if o.Workloads == nil {
		o.Workloads = Workloads
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", a...)
		}
	}
	seen := map[string]bool{}
	for _, s := range subjects {
		k := s.Describe().Key
		if seen[k] {
			return nil, fmt.Errorf("two subjects with the key %q: give each implementation once", k)
		}
		seen[k] = true
	}

	w := benchfmt.NewWriter(out)
	res := &benchfmt.Result{}
	for _, kv := range fileConfig(subjects, o) {
		// File configuration: benchfmt writes it as "key: value" lines
		// (SetConfig would make it internal, and unwritten).
		res.Config = append(res.Config, benchfmt.Config{Key: kv[0], Value: []byte(kv[1]), File: true})
	}

	type pair struct {
		s   Subject
		w   *Workload
		out *Outcome
		ops int
	}
	sum := &Summary{}
	var pairs [][]*pair // by workload, then subject
	progress := newProgress(o.Progress, len(subjects)*len(o.Workloads)*(o.Count+1))
	defer progress.done()
	for _, wl := range o.Workloads {
		var row []*pair
		for _, s := range subjects {
			sum.Outcomes = append(sum.Outcomes, Outcome{Subject: s.Describe().Key, Workload: wl.ID})
			row = append(row, &pair{s: s, w: wl})
		}
		pairs = append(pairs, row)
	}
	i := 0
	for _, row := range pairs {
		for _, p := range row {
			p.out = &sum.Outcomes[i]
			i++
		}
	}

	var comments []string
	for _, n := range o.NotOpened {
		comments = append(comments, "# not measured: "+strings.ReplaceAll(n, "\n", " "))
	}
	note := func(p *pair, err error) {
		p.out.Err = err
		line := fmt.Sprintf("workload=%s impl=%s: %v", p.w.ID, p.out.Subject, err)
		logf("bench: not measured: %s", line)
		comments = append(comments, "# not measured: "+strings.ReplaceAll(line, "\n", " "))
	}

	for _, row := range pairs {
		for _, p := range row {
			progress.step(fmt.Sprintf("check %s on %s", p.w.ID, p.out.Subject))
			if err := ctx.Err(); err != nil {
				return sum, err
			}
			if err := p.s.Check(ctx, p.w); err != nil {
				note(p, err)
			}
		}
	}

	clocks := map[string]string{}
	for round := 0; round < o.Count; round++ {
		for _, row := range pairs {
			for j := range row {
				p := row[(j+round)%len(row)]
				progress.step(fmt.Sprintf("run %d/%d: %s on %s", round+1, o.Count, p.w.ID, p.out.Subject))
				if p.out.Err != nil {
					continue
				}
				if err := ctx.Err(); err != nil {
					return sum, err
				}
				set := o.Settings
				if p.ops != 0 {
					set.Warmup = 0
				}
				m, err := p.s.Measure(ctx, p.w, p.ops, set)
				if err == nil {
					err = validate(p.w, m)
				}
				if err != nil {
					if ctx.Err() != nil {
						return sum, ctx.Err()
					}
					note(p, fmt.Errorf("measurement %d: %w", round+1, err))
					continue
				}
				p.ops = m.Ops
				if _, ok := clocks[p.out.Subject]; !ok && m.Clock != "" {
					clocks[p.out.Subject] = fmt.Sprintf("# clock: impl=%s: %s, resolution %g ns", p.out.Subject, m.Clock, m.Resolution)
				}
				res.Name = benchfmt.Name(fmt.Sprintf("%s/workload=%s/impl=%s", BenchmarkName, p.w.ID, p.out.Subject))
				res.Iters = m.Ops * p.w.ItemsPerOp
				res.Values = append(res.Values[:0],
					benchfmt.Value{Value: round5(m.PerItem(p.w.ItemsPerOp)), Unit: UnitPerItem},
					benchfmt.Value{Value: round5(m.EmptyPerItem(p.w.ItemsPerOp)), Unit: UnitEmptyPerItem})
				if c := m.CPUPerItem(p.w.ItemsPerOp); c >= 0 {
					res.Values = append(res.Values, benchfmt.Value{Value: round5(c), Unit: UnitCPUPerItem})
				}
				if a := m.AllocsPerItem(p.w.ItemsPerOp); a >= 0 {
					res.Values = append(res.Values, benchfmt.Value{Value: round5(a), Unit: UnitAllocs})
				}
				if err := w.Write(res); err != nil {
					return sum, err
				}
				p.out.Runs++
			}
		}
	}
	progress.done()
	// Comment lines: benchstat ignores them; people and the report read
	// them.
	if len(clocks) > 0 || len(comments) > 0 {
		fmt.Fprintln(out)
	}
	for _, s := range subjects {
		if c, ok := clocks[s.Describe().Key]; ok {
			fmt.Fprintln(out, c)
		}
	}
	for _, c := range comments {
		if _, err := fmt.Fprintln(out, c); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// round5 keeps 5 significant digits: more than any clock here can tell
// apart, and short lines.
func round5(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 5, 64), 64)
	return r
}

// fileConfig is the configuration written before the results: where they
// were measured, how, and one line describing each subject.
func fileConfig(subjects []Subject, o Options) [][2]string {
	cfg := [][2]string{{"goos", runtime.GOOS}, {"goarch", runtime.GOARCH}}
	if cpu := cpuName(); cpu != "" {
		cfg = append(cfg, [2]string{"cpu", cpu})
	}
	cfg = append(cfg, o.Config...)
	cfg = append(cfg,
		[2]string{"target", o.Settings.Target.String()},
		[2]string{"warmup", o.Settings.Warmup.String()})
	for _, s := range subjects {
		d := s.Describe()
		v := strings.TrimSpace(d.Name + " " + d.Version)
		if d.Language != "" {
			v += ", " + d.Language
		}
		if d.Detail != "" {
			v += ", " + d.Detail
		}
		cfg = append(cfg, [2]string{"impl-" + d.Key, v})
	}
	return cfg
}

// cpuName is the processor's model name, as `go test` prints it.
func cpuName() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// progress rewrites one line on a terminal: what runs now, how far along.
type progress struct {
	w          io.Writer
	total, cur int
	start      time.Time
	shown      bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start: time.Now()}
}

func (p *progress) step(what string) {
	p.cur++
	if p.w == nil {
		return
	}
	line := fmt.Sprintf("bench [%3d%%, %s] %s", 100*p.cur/max(p.total, 1), time.Since(p.start).Round(time.Second), what)
	if len(line) > 99 {
		line = line[:99]
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.shown = true
}

func (p *progress) done() {
	if p.w != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
