package bench

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// Change is one benchmark of two results files compared, with the
// statistics benchstat uses: medians with 95% confidence intervals, and
// the Mann-Whitney U-test at α = 0.05.
type Change struct {
	// Old and New are the benchmark in each file (their Impl differs when
	// one implementation's two versions are compared).
	Old, New Key
	// OldSum and NewSum summarise the figures (in seconds, for times).
	OldSum, NewSum benchmath.Summary
	// Cmp is the U-test of the two samples.
	Cmp benchmath.Comparison
	// Delta is NewSum.Center/OldSum.Center - 1: +0.10 is 10% slower.
	Delta float64
	// Missing says the benchmark is only in one file: "in OLD only" or
	// "in NEW only".
	Missing string
}

// Significant reports whether the U-test finds the two samples differ
// (benchstat prints "~" otherwise).
func (c Change) Significant() bool { return c.Missing == "" && c.Cmp.P <= c.Cmp.Alpha }

// Comparison compares two results files.
type Comparison struct {
	OldPath, NewPath string
	// Unit is the unit compared, as benchfmt reads it (sec/item).
	Unit string
	// Threshold is the slowdown a significant change must exceed to be a
	// regression: 0.05 for 5%.
	Threshold float64
	Changes   []Change
}

// Regressions are the changes that fail the gate: significant slowdowns
// above the threshold, and benchmarks measured in OLD but not in NEW (a
// workload that stopped being measured can hide a slowdown).
func (c *Comparison) Regressions() []Change {
	var out []Change
	for _, ch := range c.Changes {
		if ch.Missing == "in OLD only" || (ch.Significant() && ch.Delta > c.Threshold) {
			out = append(out, ch)
		}
	}
	return out
}

// CompareResults compares the figures in unit (as benchfmt reads it back:
// [SecPerItem] for ns/item, see [ReadUnit]) of two results files,
// benchmark by benchmark. Benchmarks pair up by workload and implementation; when the
// files have no benchmark in common and each holds one implementation
// (one implementation's two versions: cpython-3.11.7 against
// cpython-3.12.1), they pair up by workload.
func CompareResults(old, new *Results, threshold float64, unit string) *Comparison {
	c := &Comparison{OldPath: old.Path, NewPath: new.Path, Unit: unit, Threshold: threshold}
	pair := func(k Key) Key { return k }
	common := false
	for k := range old.Values {
		if _, ok := new.Values[k]; ok {
			common = true
			break
		}
	}
	if !common && len(old.Impls) == 1 && len(new.Impls) == 1 {
		pair = func(k Key) Key { return Key{Workload: k.Workload, Impl: new.Impls[0]} }
	}
	paired := map[Key]bool{}
	for _, w := range old.Workloads {
		for _, impl := range old.Impls {
			ko := Key{w, impl}
			if _, ok := old.Values[ko]; !ok {
				continue
			}
			kn := pair(ko)
			ch := Change{Old: ko, New: kn}
			so, sn := old.Sample(ko, unit), new.Sample(kn, unit)
			switch {
			case so == nil:
				continue
			case sn == nil:
				ch.Missing = "in OLD only"
				ch.OldSum = benchmath.AssumeNothing.Summary(so, 0.95)
			default:
				paired[kn] = true
				ch.OldSum = benchmath.AssumeNothing.Summary(so, 0.95)
				ch.NewSum = benchmath.AssumeNothing.Summary(sn, 0.95)
				ch.Cmp = benchmath.AssumeNothing.Compare(so, sn)
				if ch.OldSum.Center != 0 {
					ch.Delta = ch.NewSum.Center/ch.OldSum.Center - 1
				}
			}
			c.Changes = append(c.Changes, ch)
		}
	}
	for _, w := range new.Workloads {
		for _, impl := range new.Impls {
			kn := Key{w, impl}
			if sn := new.Sample(kn, unit); sn != nil && !paired[kn] {
				c.Changes = append(c.Changes, Change{New: kn, Missing: "in NEW only",
					NewSum: benchmath.AssumeNothing.Summary(sn, 0.95)})
			}
		}
	}
	return c
}

// WriteText prints the comparison as a table, one benchmark a line, and
// the verdict.
func (c *Comparison) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s -> %s: %s, median ± 95%% CI; a slowdown fails when the U-test finds it (p <= 0.05, as benchstat) and it exceeds %s\n\n",
		c.OldPath, c.NewPath, c.Unit, FormatPercent(c.Threshold))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\timpl\told\tnew\tdelta\t")
	for _, ch := range c.Changes {
		impl := ch.Old.Impl
		if ch.New.Impl != "" && ch.New.Impl != impl {
			if impl == "" {
				impl = ch.New.Impl
			} else {
				impl += " -> " + ch.New.Impl
			}
		}
		wl := ch.Old.Workload
		if wl == "" {
			wl = ch.New.Workload
		}
		old, new, delta := "-", "-", ch.Missing
		if ch.Missing != "in NEW only" {
			old = FormatSummary(ch.OldSum)
		}
		if ch.Missing != "in OLD only" {
			new = FormatSummary(ch.NewSum)
		}
		if ch.Missing == "" {
			delta = ch.Cmp.FormatDelta(ch.OldSum.Center, ch.NewSum.Center) + " (" + ch.Cmp.String() + ")"
			if ch.Significant() && ch.Delta > c.Threshold {
				delta += "  SLOWER"
			}
		} else if ch.Missing == "in OLD only" {
			delta += ": not measured in NEW  MISSING"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", wl, impl, old, new, delta)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	reg := c.Regressions()
	if len(reg) == 0 {
		_, err := fmt.Fprintf(w, "\nok: no significant slowdown above %s\n", FormatPercent(c.Threshold))
		return err
	}
	var names []string
	for _, ch := range reg {
		names = append(names, ch.Old.String())
	}
	_, err := fmt.Fprintf(w, "\nFAIL: %d regression(s): %s\n", len(reg), strings.Join(names, ", "))
	return err
}

// ReadUnit is unit ("ns/item", "cpu-ns/item") as benchfmt reads it back
// ("sec/item", "cpu-sec/item").
func ReadUnit(unit string) string {
	_, u := benchunit.Tidy(1, unit)
	return u
}

// FormatSummary renders a summary in seconds as benchstat does: the
// median scaled to ns/µs/ms, and the CI as ± a percentage.
func FormatSummary(s benchmath.Summary) string {
	return FormatSeconds(s.Center) + " ± " + s.PctRangeString()
}

// FormatSeconds renders a duration in seconds with 4 significant digits
// and the largest unit that keeps it at least 1.
func FormatSeconds(sec float64) string {
	switch a := math.Abs(sec); {
	case a == 0:
		return "0ns"
	case a < 1e-12:
		return "<0.001ns"
	case a < 1e-6:
		return strconv.FormatFloat(sec*1e9, 'g', 4, 64) + "ns"
	case a < 1e-3:
		return strconv.FormatFloat(sec*1e6, 'g', 4, 64) + "µs"
	case a < 1:
		return strconv.FormatFloat(sec*1e3, 'g', 4, 64) + "ms"
	}
	return strconv.FormatFloat(sec, 'g', 4, 64) + "s"
}

// ParseThreshold parses a --threshold value: "5%" or "5" (per cent), or
// "0.05". It must be at least 0.
func ParseThreshold(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("--threshold=%q: want a percentage such as 5%%", s)
	}
	if pct || f >= 1 {
		f /= 100
	}
	return f, nil
}

// FormatPercent renders 0.05 as "5%".
func FormatPercent(f float64) string {
	return strconv.FormatFloat(f*100, 'g', -1, 64) + "%"
}
