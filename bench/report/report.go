// Package report writes the benchmark reports of a results file: a
// Markdown page of benchstat tables, and a self-contained HTML page with a
// chart per workload (bars on a log scale, with the 95% confidence
// interval of the median, drawn with gonum.org/v1/plot).
package report

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aiterspec/aiterspec/bench"
)

// Benchstat runs benchstat with the given arguments and returns what it
// printed.
type Benchstat func(args ...string) ([]byte, error)

// maxColumns is how many implementations one benchstat table compares
// (the base and the others); more would make lines too long to read.
const maxColumns = 5

// Markdown writes reports/bench.md: how the figures were measured and how
// to read them, benchstat tables comparing the implementations on every
// workload in unit (as benchfmt reads it: sec/item or cpu-sec/item) (-col /impl, the base being CPython 3.11, the suite's
// tie-breaker, where measured), and per workload a table of every
// implementation's figures.
func Markdown(w io.Writer, r *bench.Results, unit string, benchstat Benchstat) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# aiterspec benchmarks: the per-item cost of async iteration\n\n")
	fmt.Fprintf(&b, "Written by `make bench-report` from `%s` (`make bench`). %s\n\n", r.Path, measuredOn(r))
	b.WriteString(howToRead)
	b.WriteString("\n## Implementations\n\n| impl | what |\n|---|---|\n")
	for _, impl := range implOrder(r) {
		fmt.Fprintf(&b, "| `%s` | %s |\n", impl, mdEscape(r.Config["impl-"+impl]))
	}
	for _, c := range r.Clocks {
		fmt.Fprintf(&b, "\n- clock of %s", mdEscape(c))
	}
	if len(r.Clocks) > 0 {
		b.WriteString("\n")
	}

	order := implOrder(r)
	b.WriteString("\n## Every workload across implementations\n\n")
	fmt.Fprintf(&b, "Time per item (`%s`: n = ns, µ = µs), median ± 95%% confidence interval; each column is compared with `%s` (`~`: no significant difference, p > 0.05).\n", unit, order[0])
	for i := 1; i < len(order) || i == 1; i += maxColumns - 1 {
		cols := append([]string{order[0]}, order[i:min(i+maxColumns-1, len(order))]...)
		out, err := benchstat("-filter", ".unit:"+unit, "-row", "/workload",
			"-col", "/impl@("+strings.Join(cols, " ")+")", r.Path)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\n```text\n%s```\n", tablesOnly(out))
	}

	if line := referenceVsPull(r, unit); line != "" {
		b.WriteString("\n## The reference against a bare iter.Pull loop\n\n" + line + "\n")
	}

	b.WriteString("\n## Per workload\n")
	for _, id := range r.Workloads {
		desc := ""
		if wl := bench.Lookup(id); wl != nil {
			desc = ": " + wl.Description
		}
		fmt.Fprintf(&b, "\n### %s%s\n", id, mdEscape(desc))
		out, err := benchstat("-filter", "/workload:"+id, "-row", "/impl", "-col", ".name", r.Path)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\n```text\n%s```\n", tablesOnly(out))
	}
	if len(r.NotMeasured) > 0 {
		b.WriteString("\n## Not measured\n\nA workload runs on an implementation only after it passes the workload's conformance check.\n\n")
		for _, n := range r.NotMeasured {
			fmt.Fprintf(&b, "- %s\n", mdEscape(n))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

const howToRead = `## How to read it

- **The figure** is the time one item costs: a workload's ` + "`async def run(n)`" + ` is timed inside the
  implementation, with its own best monotonic clock, after a calibration (n grows until one call
  lasts the target time) and a warm-up; the same loop with no items, ` + "`run(0)`" + `, is timed the same
  way and subtracted (its share per item is ` + "`empty-sec/item`" + `). Process start and protocol time never
  enter a figure.
- **Each implementation passed the workload's conformance check** before it was timed, and the timed
  call's result was checked: a fast but wrong implementation cannot rank.
- **Median ± 95% confidence interval** over the runs (benchstat's non-parametric statistics); runs
  of all implementations are interleaved, so machine drift hits them alike. A wide interval means
  a noisy machine: compare ratios within one file, not figures across machines.
- **vs base**: the change of the median against the first column, when the Mann-Whitney U-test finds
  the two samples differ (p ≤ 0.05); ` + "`~`" + ` means no significant difference.
- **allocs/item**: heap allocations per item, counted where the implementation can count them (the
  Go-native subjects).
`

// referenceVsPull compares the reference's async generator with go-pull's,
// a bare iter.Pull loop over the same items, in the same run: the goal is
// a ratio of at most 1.2 with no allocation per item.
func referenceVsPull(r *bench.Results, unit string) string {
	ref, _, ok1 := r.Summary(bench.Key{Workload: "asyncgen", Impl: "reference"}, unit)
	pull, _, ok2 := r.Summary(bench.Key{Workload: "asyncgen", Impl: "go-pull"}, unit)
	if !ok1 || !ok2 || pull.Center <= 0 {
		return ""
	}
	line := fmt.Sprintf("`async for` over the reference's async generator costs %s per item (median), a bare `iter.Pull` loop "+
		"over the same items (`go-pull`) %s: a ratio of **%.2f** (goal: at most 1.2)",
		bench.FormatSeconds(ref.Center), bench.FormatSeconds(pull.Center), ref.Center/pull.Center)
	if a, _, ok := r.Summary(bench.Key{Workload: "asyncgen", Impl: "reference"}, bench.UnitAllocs); ok {
		line += fmt.Sprintf(", with %.3g allocations per item (goal: 0)", a.Center)
	}
	return line + "."
}

// measuredOn describes the machine and run from the file configuration.
func measuredOn(r *bench.Results) string {
	var parts []string
	if cpu := r.Config["cpu"]; cpu != "" {
		parts = append(parts, "CPU "+cpu)
	}
	if goos := r.Config["goos"]; goos != "" {
		parts = append(parts, goos+"/"+r.Config["goarch"])
	}
	if d := r.Config["date"]; d != "" {
		parts = append(parts, "measured "+d)
	}
	if l := r.Config["load"]; l != "" {
		parts = append(parts, "load average "+l+" (1, 5, 15 min) at the start")
	}
	if c := r.Config["commit"]; c != "" {
		parts = append(parts, "suite commit "+c)
	}
	if t := r.Config["target"]; t != "" {
		parts = append(parts, "target "+t+" per timed call, warm-up "+r.Config["warmup"])
	}
	if len(parts) == 0 {
		return ""
	}
	return "Measured on: " + strings.Join(parts, "; ") + "."
}

// implOrder puts the base first: CPython 3.11 (the suite's tie-breaker)
// if it was measured, else the first implementation. The others keep the
// order of the run, except that versions of one implementation
// ("cpython-3.8.18", "cpython-3.12.1") come together, oldest first.
func implOrder(r *bench.Results) []string {
	first := map[string]int{} // the run's position of each name's first version
	for i, impl := range r.Impls {
		name, _ := splitVersion(impl)
		if _, ok := first[name]; !ok {
			first[name] = i
		}
	}
	order := slices.Clone(r.Impls)
	slices.SortStableFunc(order, func(a, b string) int {
		an, av := splitVersion(a)
		bn, bv := splitVersion(b)
		if c := first[an] - first[bn]; c != 0 {
			return c
		}
		return slices.Compare(av, bv)
	})
	for i, impl := range order {
		if strings.HasPrefix(impl, "cpython-3.11") {
			order = append([]string{impl}, slices.Delete(order, i, i+1)...)
			break
		}
	}
	return order
}

// splitVersion splits "cpython-3.12.1" into "cpython" and [3 12 1]; the
// version is nil when the key does not end in a dotted number.
func splitVersion(key string) (name string, version []int) {
	i := strings.LastIndex(key, "-")
	if i < 0 {
		return key, nil
	}
	for _, f := range strings.Split(key[i+1:], ".") {
		n, err := strconv.Atoi(f)
		if err != nil {
			return key, nil
		}
		version = append(version, n)
	}
	return key[:i], version
}

// tablesOnly drops the configuration lines benchstat prints above its
// tables (the report shows them once).
func tablesOnly(out []byte) string {
	lines := strings.SplitAfter(string(out), "\n")
	for i, l := range lines {
		if strings.ContainsRune(l, '│') {
			return strings.Join(lines[i:], "")
		}
	}
	return string(out)
}

var mdSpecial = regexp.MustCompile("([|`*_<>])")

func mdEscape(s string) string { return mdSpecial.ReplaceAllString(s, `\$1`) }
