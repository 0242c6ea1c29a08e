package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/differential"
	"github.com/aiterspec/aiterspec/scenario"
)

func init() {
	register(&command{
		name:    "diff",
		summary: "run generated programs on two implementations and shrink every difference",
		doc: `Generates scenario programs from a seed (program n of a seed is always the same
program for the same pair of implementations), runs each on --adapter and on
--against, and groups the programs whose observations differ into classes by the
first differing observation's kind and exception type. One program of each class
is shrunk to a minimal one that still differs the same way, re-checking both
implementations at every step, and printed three ways: as scenario JSON, as the
Python a harness runs, and as a spec entry in the suite's builder language with
both implementations' observations.

Exit status: 0 when every program agreed, 1 when any differed (or broke both
implementations: a bug of the generator), 2 on bad usage or an implementation
that cannot be opened.

  aiterspec diff --adapter=reference --against=cpython --count=20000 --seed=1
  aiterspec diff --adapter=pypy --time=2m --out=diff-pypy`,
		run: runDiff,
	})
}

func runDiff(inv *invocation, args []string) int {
	fs := inv.flags
	a := fs.String("adapter", "reference", "the implementation under test (see \"aiterspec adapters\")")
	b := fs.String("against", "cpython", "the implementation it is held against")
	seed := fs.Uint64("seed", 1, "which programs: program n of a seed is always the same")
	first := fs.Uint64("first", 0, "number of the first program to run (programs are numbered from 0)")
	count := fs.Int("count", 0, "how many programs to run (default 1000 unless --time is given)")
	dur := fs.Duration("time", 0, "run programs for this long (with --count, whichever ends first)")
	out := fs.String("out", "", "also write each class to `DIR`: class-N.json, class-N.py, class-N.go")
	messages := fs.String("messages", string(scenario.ExactMessages), "compare exception messages (exact) or types only (type)")
	workers := fs.Int("workers", 0, "implementation pairs running at once (default: the number of CPUs)")
	timeout := fs.Duration("scenario-timeout", 3*time.Second, "time limit of one program; past it the harness is restarted")
	shrink := fs.Bool("shrink", true, "shrink one program of each class")
	if status, done := inv.parse(args); done {
		return status
	}
	if fs.NArg() > 0 {
		return inv.usageError("takes no arguments, only flags (got %q)", fs.Arg(0))
	}
	m, err := scenario.ParseMessages(*messages)
	if err != nil {
		return inv.usageError("%v", err)
	}
	if *count < 0 || *dur < 0 || *workers < 0 || *timeout <= 0 {
		return inv.usageError("--count, --time, --workers and --scenario-timeout must not be negative")
	}
	if *count == 0 && *dur == 0 {
		*count = 1000
	}
	for _, name := range []string{*a, *b} {
		if err := adapters.Check(name); err != nil {
			fmt.Fprintf(inv.stderr, "aiterspec diff: %v\n", err)
			return 2
		}
	}
	opts := adapters.Options{ScenarioTimeout: *timeout}
	open := func(name string) func() (adapters.Adapter, error) {
		return func() (adapters.Adapter, error) { return adapters.Open(name, opts) }
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	progress := newProgressLine(inv.stderr)
	rep, err := differential.Search(ctx, differential.Config{
		A: open(*a), B: open(*b),
		Seed: *seed, First: *first, Count: *count, Duration: *dur, Workers: *workers,
		Messages: m, Shrink: *shrink, Progress: progress.update,
	})
	progress.done()
	if err != nil {
		fmt.Fprintf(inv.stderr, "aiterspec diff: %v\n", err)
		return 2
	}
	printReport(inv.stdout, rep, *a, *b)
	if *out != "" {
		if err := writeClasses(*out, rep, *a, *b); err != nil {
			fmt.Fprintf(inv.stderr, "aiterspec diff: %v\n", err)
			return 1
		}
		fmt.Fprintf(inv.stdout, "\nwrote %d classes to %s\n", len(rep.Classes), *out)
	}
	if len(rep.Classes) > 0 || rep.Invalid > 0 {
		return 1
	}
	return 0
}

func implName(i adapters.Info) string {
	s := i.Name + " " + i.Version
	if i.LanguageVersion != "" && i.LanguageVersion != i.Version {
		s += " (Python " + i.LanguageVersion + ")"
	}
	return s
}

func printReport(w io.Writer, rep *differential.Report, a, b string) {
	fmt.Fprintf(w, "aiterspec diff: %s against %s, seed %d\n", implName(rep.A), implName(rep.B), rep.Seed)
	agree := rep.Programs - rep.Diverged - rep.Skipped - rep.Invalid
	fmt.Fprintf(w, "%d programs in %.1fs: %d agree, %d differ in %d classes, %d skipped (one side cannot run them), %d broke both sides\n",
		rep.Programs, rep.Elapsed.Seconds(), agree, rep.Diverged, len(rep.Classes), rep.Skipped, rep.Invalid)
	if ex := rep.InvalidExample; ex != nil {
		fmt.Fprintf(w, "\nprogram %d broke both implementations (a bug of the generator: please report it):\n  %s: %s\n  %s: %s\n%s\n",
			ex.Program, rep.A.Name, firstLine(ex.Outcome.A.Reason), rep.B.Name, firstLine(ex.Outcome.B.Reason), scenarioJSON(&ex.Scenario))
	}
	for i, cl := range rep.Classes {
		ex := cl.First
		how := fmt.Sprintf("first: program %d", ex.Program)
		if cl.Shrunk != nil {
			ex = *cl.Shrunk
			how += fmt.Sprintf(", %d statements shrunk to %d in %d runs", differential.Statements(&cl.First.Scenario),
				differential.Statements(&ex.Scenario), cl.ShrinkSteps)
		}
		if cl.Flaky {
			how += "; FLAKY: it did not differ again when rerun, so it is shown unshrunk"
		}
		fmt.Fprintf(w, "\n=== class %d of %d: %s\n", i+1, len(rep.Classes), cl.Signature)
		if len(cl.Also) > 0 {
			fmt.Fprintf(w, "(merged with the same shrunk program differing only in exception types or literals: %s)\n", strings.Join(cl.Also, "; "))
		}
		fmt.Fprintf(w, "%d programs (%s)\n", cl.Count, how)
		writeOutcome(w, ex.Outcome, a, b)
		fmt.Fprintf(w, "\n--- scenario (JSON)\n%s\n", scenarioJSON(&ex.Scenario))
		fmt.Fprintf(w, "\n--- Python\n%s", pythonSource(&ex.Scenario))
		fmt.Fprintf(w, "\n--- spec, for a behaviour(...) in spec/ (%s's observations; %s's below)\n%s", b, a, specFor(rep, cl, ex, a))
	}
	if len(rep.Classes) > 0 {
		fmt.Fprintf(w, "\nRerun one program N: aiterspec diff --adapter=%s --against=%s --seed=%d --first=N --count=1\n", a, b, rep.Seed)
	}
}

// writeOutcome shows both sides' results next to each other.
func writeOutcome(w io.Writer, o differential.Outcome, a, b string) {
	if o.A.State == adapters.Completed && o.B.State == adapters.Completed {
		side := scenario.SideBySide(o.B.Observations, o.A.Observations, scenario.ExactMessages)
		side = strings.Replace(side, "expected", b, 1)
		side = strings.Replace(side, "observed", a, 1)
		fmt.Fprint(w, indent(side))
		return
	}
	for _, s := range []struct {
		name string
		r    adapters.Result
	}{{a, o.A}, {b, o.B}} {
		fmt.Fprintf(w, "  %s: %s", s.name, s.r.State)
		if s.r.Reason != "" {
			fmt.Fprintf(w, ": %s", firstLine(s.r.Reason))
		}
		fmt.Fprintln(w)
		for _, ob := range s.r.Observations {
			fmt.Fprintf(w, "    %s\n", ob)
		}
	}
}

func specFor(rep *differential.Report, cl *differential.Divergence, ex differential.Example, a string) string {
	title := "TITLE: what CPython does here (" + cl.Signature + ")"
	return differential.GoSpec(title, &ex.Scenario, ex.Outcome.B.Observations, a+" ("+implName(rep.A)+")", ex.Outcome.A.Observations)
}

func scenarioJSON(sc *scenario.Scenario) string {
	data, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return fmt.Sprintf("(cannot encode: %v)", err)
	}
	return string(data)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

// classRecord is one class as written to DIR/class-N.json.
type classRecord struct {
	Signature  string            `json:"signature"`
	Programs   int               `json:"programs"`
	Seed       uint64            `json:"seed"`
	Program    uint64            `json:"program"`
	Flaky      bool              `json:"flaky,omitempty"`
	Statements int               `json:"statements"`
	Scenario   scenario.Scenario `json:"scenario"`
	Sides      []sideRecord      `json:"sides"`
	Original   scenario.Scenario `json:"original"`
}

type sideRecord struct {
	Adapter string          `json:"adapter"`
	Info    adapters.Info   `json:"implementation"`
	Result  adapters.Result `json:"result"`
}

func writeClasses(dir string, rep *differential.Report, a, b string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, cl := range rep.Classes {
		ex := cl.First
		if cl.Shrunk != nil {
			ex = *cl.Shrunk
		}
		rec := classRecord{
			Signature: cl.Signature, Programs: cl.Count, Seed: rep.Seed, Program: cl.First.Program, Flaky: cl.Flaky,
			Statements: differential.Statements(&ex.Scenario), Scenario: ex.Scenario, Original: cl.First.Scenario,
			Sides: []sideRecord{{a, rep.A, ex.Outcome.A}, {b, rep.B, ex.Outcome.B}},
		}
		data, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return err
		}
		base := filepath.Join(dir, fmt.Sprintf("class-%d", i+1))
		files := map[string]string{
			".json": string(data) + "\n",
			".py":   pythonSource(&ex.Scenario),
			".go":   "// " + cl.Signature + "\n" + specFor(rep, cl, ex, a),
		}
		for ext, content := range files {
			if err := os.WriteFile(base+ext, []byte(content), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// progressLine shows a search's progress on one terminal line, rewritten in
// place; on anything but a terminal it shows nothing.
type progressLine struct {
	w    io.Writer
	on   bool
	last string
}

func newProgressLine(w io.Writer) *progressLine {
	p := &progressLine{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progressLine) update(s differential.Progress) {
	if !p.on {
		return
	}
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Programs) / s.Elapsed.Seconds()
	}
	line := fmt.Sprintf("%d programs (%.0f/s), %d differ in %d classes, %d skipped", s.Programs, rate, s.Diverged, s.Classes, s.Skipped)
	if s.Shrinking != "" {
		line += "; shrinking " + s.Shrinking
	}
	if line != p.last {
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
		p.last = line
	}
}

func (p *progressLine) done() {
	if p.on && p.last != "" {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
