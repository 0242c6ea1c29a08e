package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/reports"
	"github.com/aiterspec/aiterspec/spec"
)

func init() {
	register(&command{
		name:    "report",
		args:    "[--registered] [ADAPTER...]",
		summary: "run the suite against every implementation and write the conformance matrix (Markdown, HTML, badges)",
		doc: `Runs the suite (built once) against each adapter named, and with
--registered or no adapter named, against every registered adapter that
needs no argument and is available here (an implementation seen twice runs
once); gates each against its baseline (reports/baselines/NAME.json); then
writes, into --out:

    conformance.md      the matrix: behaviours by implementations
    conformance.html    the same, self-contained; click a cell for its diff
    badges/KEY.json     a shields.io endpoint per implementation
    latest/KEY.json     Ginkgo's JSON report of each run (with KEY.meta.json)

Every file is replaced whole, never half-written. Exit status 1 if an
implementation regressed against its baseline, 2 if nothing ran.
"make conformance" runs it over every peer of this machine.

With --from DIR, renders the matrix from the reports in DIR/latest (a
previous run) without running anything.`,
		run: runReport,
	})
}

// meta is what a run records beside its Ginkgo report.
type meta struct {
	reports.Provenance
}

func runReport(inv *invocation, args []string) int {
	out := inv.flags.String("out", "reports", "the `DIR` to write the matrix into")
	from := inv.flags.String("from", "", "render from the Ginkgo reports in `DIR`/latest instead of running the suite")
	jobs := inv.flags.Int("jobs", 2, "how many implementations to run at once")
	registered := inv.flags.Bool("registered", false, "also run every registered adapter that needs no argument (the default when no adapter is named)")
	if status, done := inv.parse(args); done {
		return status
	}
	stderr := inv.stderr
	root, err := checkoutRoot()
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec report: %v\n", err)
		return 2
	}
	outDir, err := filepath.Abs(*out)
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec report: %v\n", err)
		return 2
	}
	var columns []reports.Column
	if *from != "" {
		if inv.flags.NArg() > 0 {
			return inv.usageError("--from renders existing reports: name no adapters")
		}
		columns, err = loadColumns(filepath.Join(*from, "latest"))
	} else {
		names := inv.flags.Args()
		if len(names) == 0 || *registered {
			names = append(defaultAdapters(), names...)
		}
		for _, n := range names {
			if err := adapters.Check(n); err != nil {
				return inv.usageError("%v", err)
			}
		}
		columns, err = runColumns(inv, root, outDir, names, *jobs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec report: %v\n", err)
		return 2
	}
	if len(columns) == 0 {
		fmt.Fprintln(stderr, "aiterspec report: nothing ran")
		return 2
	}
	sortColumns(columns)
	m := reports.NewMatrix(families(), behaviours(), columns, now())
	if err := m.Write(outDir); err != nil {
		fmt.Fprintf(stderr, "aiterspec report: %v\n", err)
		return 2
	}
	status := 0
	for _, c := range columns {
		if c.Verdict == nil {
			fmt.Fprintf(inv.stdout, "%-28s %s\n", c.Title(), c.GateSummary())
			continue
		}
		fmt.Fprintf(inv.stdout, "%-28s %s; gate: %s\n", c.Title(), c.Verdict.Summary(), c.GateSummary())
		if !c.Verdict.OK() {
			for _, p := range c.Verdict.Problems {
				fmt.Fprintln(inv.stdout, indentLines(p.String(), "  "))
			}
			status = 1
		}
	}
	fmt.Fprintf(inv.stdout, "wrote %s, %s and %d badges\n",
		rel(filepath.Join(outDir, "conformance.md")), rel(filepath.Join(outDir, "conformance.html")), len(columns))
	return status
}

func indentLines(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// defaultAdapters is every registered adapter that runs without an
// argument (so not exec:COMMAND): an adapter registered later appears
// without a change here.
func defaultAdapters() []string {
	var names []string
	for _, r := range adapters.Known() {
		if strings.Contains(strings.ReplaceAll(r.Usage, "[:", ""), ":") {
			continue // exec:COMMAND and the like need their argument
		}
		names = append(names, r.Name)
	}
	return names
}

func families() []reports.Family {
	var out []reports.Family
	for _, f := range spec.Families {
		out = append(out, reports.Family{Prefix: f.Prefix, Title: f.Title})
	}
	return out
}

func behaviours() []reports.Behaviour {
	var out []reports.Behaviour
	for _, b := range spec.Behaviours() {
		out = append(out, reports.Behaviour{ID: b.ID, Family: b.Family, Summary: b.Summary})
	}
	return out
}

// runColumns runs the suite against each adapter, jobsFlag at a time,
// showing progress on a terminal.
func runColumns(inv *invocation, root, outDir string, names []string, jobsFlag int) ([]reports.Column, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	progress := newProgress(inv.stderr)
	defer progress.done()

	progress.show("building the suite")
	tmp, err := os.MkdirTemp("", "aiterspec-report-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	buildLog, _ := os.Create(filepath.Join(tmp, "build.log"))
	defer buildLog.Close()
	suite, cleanup, err := buildSuite(ctx, root, buildLog)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	latest := filepath.Join(outDir, "latest")
	if err := os.MkdirAll(latest, 0o755); err != nil {
		return nil, err
	}

	// Open each adapter first (one at a time: harness start-up is cheap),
	// to skip the unavailable and the duplicates.
	type job struct {
		name     string
		info     adapters.Info
		key      string
		baseline string
		b        *reports.Baseline
	}
	var jobs []job
	seen := map[string]string{}
	for i, name := range names {
		progress.show(fmt.Sprintf("[%d/%d] %s: starting", i+1, len(names), name))
		info, err := describe(name)
		if err != nil {
			if os.Getenv(peertest.RequireEnv) != "" {
				return nil, fmt.Errorf("%s: %v (%s is set: every peer must be installed)", name, err, peertest.RequireEnv)
			}
			progress.note(fmt.Sprintf("skipped %s: %v", name, firstLineOf(err.Error())))
			continue
		}
		key := fileKey(info)
		if prev, dup := seen[key]; dup {
			progress.note(fmt.Sprintf("skipped %s: the same implementation as %s (%s)", name, prev, key))
			continue
		}
		seen[key] = name
		baseline := filepath.Join(root, reports.BaselinePath(info.Name))
		b, err := reports.LoadBaseline(baseline)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			b, baseline = nil, ""
		case err != nil:
			return nil, err
		}
		jobs = append(jobs, job{name, info, key, baseline, b})
	}

	// Then run the suite against them, jobs at a time.
	sha := commit(root)
	columns := make([]reports.Column, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	var finished atomic.Int32
	slots := make(chan struct{}, max(1, jobsFlag))
	start := now()
	var mu sync.Mutex
	running := map[string]bool{}
	stopTicker := progress.tickFunc(func() string {
		mu.Lock()
		names := slices.Sorted(maps.Keys(running))
		mu.Unlock()
		return fmt.Sprintf("running the suite: %d of %d implementations done, now %s (%s)",
			finished.Load(), len(jobs), strings.Join(names, ", "), time.Since(start).Round(time.Second))
	})
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			mu.Lock()
			running[j.key] = true
			mu.Unlock()
			defer func() {
				mu.Lock()
				delete(running, j.key)
				mu.Unlock()
				<-slots
				finished.Add(1)
			}()
			columns[i], errs[i] = runColumn(ctx, root, suite, tmp, latest, sha, j.name, j.key, j.baseline, j.b)
		}()
	}
	wg.Wait()
	stopTicker()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return columns, nil
}

// runColumn runs the suite against one adapter.
func runColumn(ctx context.Context, root, suite, tmp, latest, sha, name, key, baseline string, b *reports.Baseline) (reports.Column, error) {
	report := filepath.Join(tmp, key+".json")
	logFile, err := os.Create(filepath.Join(tmp, key+".log"))
	if err != nil {
		return reports.Column{}, err
	}
	defer logFile.Close()
	started := now()
	suites, err := suiteRun{Root: root, Adapter: name, Suite: suite, Baseline: baseline, JSONReport: report, Log: logFile}.run(ctx)
	if err != nil {
		return reports.Column{}, fmt.Errorf("%s: %v", name, err)
	}
	if len(suites) != 1 || suites[0].Implementation().Name == "" {
		data, _ := os.ReadFile(logFile.Name())
		return reports.Column{}, fmt.Errorf("%s: nothing ran; Ginkgo's output ends:\n%s", name, tail(string(data), 30))
	}
	p := reports.Provenance{Adapter: name, Commit: sha, Date: started, Baseline: relTo(root, baseline)}
	if err := keep(report, filepath.Join(latest, key+".json"), p); err != nil {
		return reports.Column{}, err
	}
	return reports.NewColumn(suites[0], b, p), nil
}

// keep moves a run's report into latest/, with its provenance beside it.
func keep(report, dst string, p reports.Provenance) error {
	data, err := os.ReadFile(report)
	if err != nil {
		return err
	}
	if err := reports.WriteFileAtomic(dst, data); err != nil {
		return err
	}
	m, _ := json.MarshalIndent(meta{p}, "", "  ")
	return reports.WriteFileAtomic(strings.TrimSuffix(dst, ".json")+".meta.json", append(m, '\n'))
}

// loadColumns reads the reports a previous run kept in dir.
func loadColumns(dir string) ([]reports.Column, error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var columns []reports.Column
	root, _ := checkoutRoot()
	for _, path := range paths {
		if strings.HasSuffix(path, ".meta.json") {
			continue
		}
		suites, err := reports.Load(path)
		if err != nil {
			return nil, err
		}
		if len(suites) != 1 {
			return nil, fmt.Errorf("%s: %d suites, want 1", path, len(suites))
		}
		var m meta
		if data, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".meta.json"); err == nil {
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
		}
		var b *reports.Baseline
		if m.Baseline != "" {
			if b, err = reports.LoadBaseline(filepath.Join(root, m.Baseline)); err != nil {
				return nil, err
			}
		}
		columns = append(columns, reports.NewColumn(suites[0], b, m.Provenance))
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("no Ginkgo reports in %s", dir)
	}
	return columns, nil
}

// sortColumns puts the reference first, then implementations by name
// and version (3.8 before 3.10).
func sortColumns(cs []reports.Column) {
	rank := func(c reports.Column) string {
		if c.Implementation.Name == "reference" {
			return ""
		}
		return c.Implementation.Name
	}
	slices.SortStableFunc(cs, func(a, b reports.Column) int {
		if c := strings.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		va, ea := reports.ParseVersion(a.Implementation.Version)
		vb, eb := reports.ParseVersion(b.Implementation.Version)
		if ea != nil || eb != nil {
			return strings.Compare(a.Implementation.Version, b.Implementation.Version)
		}
		return va.Compare(vb)
	})
}

func fileKey(i adapters.Info) string {
	return reports.Column{Implementation: reports.Implementation{Name: i.Name, Version: i.Version}}.Key()
}

func relTo(root, path string) string {
	if path == "" {
		return ""
	}
	if r, err := filepath.Rel(root, path); err == nil {
		return r
	}
	return path
}

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// progress shows one updating line on a terminal ("[2/9] pypy 7.3.11:
// 12s") while implementations run; elsewhere it prints notes only.
type progress struct {
	w        io.Writer
	terminal bool
	mu       sync.Mutex
	width    int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) show(line string) {
	if !p.terminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	pad := max(0, p.width-len(line))
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len(line)
}

// note prints a line that stays.
func (p *progress) note(line string) {
	p.mu.Lock()
	if p.terminal && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
	p.mu.Unlock()
	fmt.Fprintln(p.w, "aiterspec report: "+line)
}

// tickFunc shows line() every second until stopped.
func (p *progress) tickFunc(line func() string) (stop func()) {
	if !p.terminal {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			p.show(line())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done) }
}

func (p *progress) done() {
	if p.terminal && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
}
