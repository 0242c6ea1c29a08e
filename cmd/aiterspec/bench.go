package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/bench/native"
	"github.com/aiterspec/aiterspec/bench/report"
)

func init() {
	register(&command{
		name:    "bench",
		args:    "| --compare OLD.txt NEW.txt | --report RESULTS.txt",
		summary: "measure the per-item cost of async iteration in implementations, compare two runs, or write the reports",
		doc: `Measure (the default): every workload (--list shows them) runs on each
--adapter, first as a conformance check, then timed inside the
implementation --count times, interleaved across implementations. The
output is the Go benchmark format, one line per run, for benchstat:

    BenchmarkAsyncIter/workload=asyncgen/impl=cpython-3.11.7  N  63.2 ns/item  0.01 empty-ns/item

--adapter takes the suite's adapter names (cpython, pypy, cpython:PATH,
exec:COMMAND, ...) whose harness times workloads (PROTOCOL.md, "bench"),
and the Go-native subjects reference (the reference library driven from
Go), go-chan and go-pull; several are given as a comma-separated list.
An unknown name is a usage error (exit 2). An implementation that cannot
be opened (not installed) fails the run (exit 1) after the others are
measured, or with --skip-missing is left out with a note, except when
AITERSPEC_REQUIRE_PEERS is set (CI: every peer must be there). One that
is there but cannot time workloads (its harness does not offer "bench")
is not measured, which the results say; that fails nothing.

Compare: --compare OLD.txt NEW.txt exits 1 when a benchmark got
significantly slower (Mann-Whitney U-test, p <= 0.05, as benchstat)
by more than --threshold, or is measured in OLD but not in NEW.

Report: --report RESULTS.txt writes --md (benchstat tables, via
"go tool benchstat") and --html (a self-contained page with SVG charts).`,
		run: runBench,
	})
}

func runBench(inv *invocation, args []string) int {
	f := inv.flags
	var adapterList []string
	f.Func("adapter", "implementations to measure: adapter names or reference, go-chan, go-pull; comma-separated or repeated (default reference)", func(s string) error {
		for _, a := range strings.Split(s, ",") {
			if a = strings.TrimSpace(a); a != "" {
				adapterList = append(adapterList, a)
			}
		}
		return nil
	})
	count := f.Int("count", 10, "measurements of each workload on each implementation")
	workload := f.String("workload", "", "measure only the workloads whose id matches this regular expression")
	target := f.Duration("target", bench.DefaultSettings.Target, "how long one timed call lasts at least (the calibration's goal)")
	warmup := f.Duration("warmup", bench.DefaultSettings.Warmup, "untimed warm-up before the first measurement of each workload (a JIT may take longer)")
	outPath := f.String("o", "", "write the results to this file instead of standard output")
	skipMissing := f.Bool("skip-missing", false, "leave out an implementation that cannot be opened (not installed) with a note, instead of failing; ignored when AITERSPEC_REQUIRE_PEERS is set; an unknown name is an error all the same")
	python := f.String("python", "", "interpreter for the cpython and pypy adapters")
	list := f.Bool("list", false, "list the workloads and exit")
	compare := f.Bool("compare", false, "compare two results files: OLD.txt NEW.txt")
	threshold := f.String("threshold", "5%", "with --compare: the slowdown that fails")
	unit := f.String("unit", bench.UnitPerItem, "with --compare and --report: the figure compared and charted: ns/item (wall clock) or cpu-ns/item (process CPU time, steadier on a busy machine)")
	reportMode := f.Bool("report", false, "write the reports of a results file: RESULTS.txt")
	mdPath := f.String("md", "reports/bench.md", "with --report: the Markdown report")
	htmlPath := f.String("html", "reports/bench.html", "with --report: the HTML page with charts")
	if status, done := inv.parse(args); done {
		return status
	}
	switch {
	case *list:
		for _, w := range bench.Workloads {
			fmt.Fprintf(inv.stdout, "%-14s %s\n", w.ID, w.Description)
		}
		return 0
	case *compare:
		if f.NArg() != 2 {
			return inv.usageError("--compare takes two results files, OLD.txt and NEW.txt")
		}
		t, err := bench.ParseThreshold(*threshold)
		if err != nil {
			return inv.usageError("%v", err)
		}
		return benchCompare(inv, f.Arg(0), f.Arg(1), t, bench.ReadUnit(*unit))
	case *reportMode:
		if f.NArg() != 1 {
			return inv.usageError("--report takes one results file")
		}
		return benchReport(inv, f.Arg(0), *mdPath, *htmlPath, bench.ReadUnit(*unit))
	}
	if f.NArg() != 0 {
		return inv.usageError("unexpected arguments %q (measuring takes only flags)", f.Args())
	}
	if *count < 1 {
		return inv.usageError("--count=%d: want at least 1", *count)
	}
	if *target <= 0 || *warmup < 0 {
		return inv.usageError("--target must be positive and --warmup at least 0")
	}
	workloads, err := bench.Select(*workload)
	if err != nil {
		return inv.usageError("%v", err)
	}
	if len(adapterList) == 0 {
		adapterList = []string{"reference"}
	}
	// A name nobody registered is a mistake in the command line, not a
	// peer missing from this machine: --skip-missing does not cover it.
	for _, name := range adapterList {
		if slices.Contains(native.Names, name) {
			continue
		}
		if err := adapters.Check(name); err != nil {
			return inv.usageError("%v; or a Go-native subject: %s", err, strings.Join(native.Names, ", "))
		}
	}
	if os.Getenv("AITERSPEC_REQUIRE_PEERS") != "" && *skipMissing {
		// In CI every peer must be there: a missing one fails the run.
		fmt.Fprintln(inv.stderr, "aiterspec bench: AITERSPEC_REQUIRE_PEERS is set: --skip-missing is ignored, an implementation that cannot be opened fails the run")
		*skipMissing = false
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	status := 0
	subjects, notOpened, failed := openSubjects(inv, adapterList, adapters.Options{Python: *python}, *skipMissing)
	defer func() {
		for _, s := range subjects {
			s.Close()
		}
	}()
	if failed {
		status = 1
	}
	if len(subjects) == 0 {
		fmt.Fprintln(inv.stderr, "aiterspec bench: no implementation to measure")
		return 1
	}

	var out io.Writer = inv.stdout
	if *outPath != "" {
		file, err := os.Create(*outPath)
		if err != nil {
			fmt.Fprintf(inv.stderr, "aiterspec bench: %v\n", err)
			return 1
		}
		defer file.Close()
		out = file
	}
	opts := bench.Options{
		Count:     *count,
		Workloads: workloads,
		Settings:  bench.Settings{Target: *target, Warmup: *warmup},
		Config:    [][2]string{{"commit", suiteCommit()}, {"date", time.Now().UTC().Format(time.RFC3339)}},
		NotOpened: notOpened,
		Log:       inv.stderr,
	}
	if load := loadAverage(); load != "" {
		// How busy the machine was when the run began (1, 5, 15 minutes).
		opts.Config = append(opts.Config, [2]string{"load", load})
	}
	if isTerminal(inv.stderr) {
		opts.Progress = inv.stderr
	}
	start := time.Now()
	sum, err := bench.Run(ctx, subjects, out, opts)
	if err != nil {
		fmt.Fprintf(inv.stderr, "aiterspec bench: %v\n", err)
		return 1
	}
	measured := 0
	for _, o := range sum.Outcomes {
		if o.Runs > 0 {
			measured++
		}
	}
	fmt.Fprintf(inv.stderr, "aiterspec bench: %d of %d workload×implementation pairs measured, %d runs each, in %s\n",
		measured, len(sum.Outcomes), *count, time.Since(start).Round(time.Second))
	if load := loadAverage(); load != "" {
		fmt.Fprintf(inv.stderr, "aiterspec bench: load average at the end: %s (at the start: see the file's load line)\n", load)
	}
	if errs := sum.Errored(); len(errs) > 0 {
		fmt.Fprintf(inv.stderr, "aiterspec bench: %d pair(s) broke while being measured (see above)\n", len(errs))
		status = 1
	}
	return status
}

// openSubjects opens each named implementation. One that cannot be
// opened is an error (or, with skipMissing, a note); one that turns out
// to be an implementation already opened (python3 on PATH and the same
// interpreter by path) is left out with a note.
func openSubjects(inv *invocation, names []string, opts adapters.Options, skipMissing bool) (subjects []bench.Subject, notOpened []string, failed bool) {
	seen := map[string]string{}
	for _, name := range names {
		s, ok := native.Open(name)
		if !ok {
			var err error
			s, err = bench.OpenAdapter(name, opts)
			if err != nil {
				notOpened = append(notOpened, fmt.Sprintf("impl=%s: %v", name, err))
				var cannot *bench.CannotTimeError
				if errors.As(err, &cannot) {
					// There, but unable to time: the results say so, and
					// that is no failure, in CI or not.
					fmt.Fprintf(inv.stderr, "aiterspec bench: not measured: %v\n", err)
					continue
				}
				if skipMissing {
					fmt.Fprintf(inv.stderr, "aiterspec bench: skipping %s: %v\n", name, err)
				} else {
					fmt.Fprintf(inv.stderr, "aiterspec bench: %v\n", err)
					failed = true
				}
				continue
			}
		}
		key := s.Describe().Key
		if first, dup := seen[key]; dup {
			fmt.Fprintf(inv.stderr, "aiterspec bench: %s is %s again (as %s): measured once\n", name, key, first)
			s.Close()
			continue
		}
		seen[key] = name
		subjects = append(subjects, s)
	}
	return subjects, notOpened, failed
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes
// (/proc/loadavg), or "" where there is none.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func benchCompare(inv *invocation, oldPath, newPath string, threshold float64, unit string) int {
	old, err := bench.ReadResults(oldPath)
	if err != nil {
		fmt.Fprintf(inv.stderr, "aiterspec bench: %v\n", err)
		return 2
	}
	new, err := bench.ReadResults(newPath)
	if err != nil {
		fmt.Fprintf(inv.stderr, "aiterspec bench: %v\n", err)
		return 2
	}
	c := bench.CompareResults(old, new, threshold, unit)
	if err := c.WriteText(inv.stdout); err != nil {
		return 1
	}
	if len(c.Regressions()) > 0 {
		return 1
	}
	return 0
}

func benchReport(inv *invocation, in, mdPath, htmlPath, unit string) int {
	res, err := bench.ReadResults(in)
	if err != nil {
		fmt.Fprintf(inv.stderr, "aiterspec bench: %v\n", err)
		return 1
	}
	status := 0
	write := func(path string, gen func(io.Writer) error) {
		if path == "" {
			return
		}
		file, err := os.Create(path)
		if err == nil {
			err = gen(file)
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(inv.stderr, "aiterspec bench: %s: %v\n", path, err)
			status = 1
			return
		}
		fmt.Fprintf(inv.stderr, "aiterspec bench: wrote %s\n", path)
	}
	write(mdPath, func(w io.Writer) error { return report.Markdown(w, res, unit, goToolBenchstat) })
	write(htmlPath, func(w io.Writer) error { return report.HTML(w, res, unit) })
	return status
}

// goToolBenchstat runs `go tool benchstat ARGS...` (benchstat is a tool
// directive of this module) and returns its output.
func goToolBenchstat(args ...string) ([]byte, error) {
	cmd := exec.Command("go", append([]string{"tool", "benchstat"}, args...)...)
	cmd.Dir = moduleRoot()
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("go tool benchstat %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
		}
		return nil, fmt.Errorf("go tool benchstat needs the Go toolchain and this checkout: %v", err)
	}
	return out, nil
}

// moduleRoot is the directory of the go.mod above the working directory,
// or "" (the working directory) if there is none.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// suiteCommit is the commit of the checkout the suite runs from, with
// "+dirty" when it has uncommitted changes, or "unknown".
func suiteCommit() string {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = moduleRoot()
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	rev, err := git("rev-parse", "--short=12", "HEAD")
	if err != nil || rev == "" {
		return "unknown"
	}
	// Changes under reports/ (outputs, make bench's own reports/bench.txt
	// among them) change nothing that is measured.
	if st, err := git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)reports"); err == nil && st != "" {
		rev += "+dirty"
	}
	return rev
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
