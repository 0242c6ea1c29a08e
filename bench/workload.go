// Package bench measures the per-item cost of async iteration in every
// implementation aiterspec can drive, and writes it in the Go benchmark
// format for benchstat.
//
// A [Workload] is a small program in the scenario language whose module
// defines `async def run(n)`: n operations of [Workload.ItemsPerOp] items
// each. The same workload is also a conformance scenario: before timing it
// on an implementation, the driver runs its check (a main that observes
// what run and its helpers produce) and compares the observations with
// CPython 3.11's, so that a fast but wrong implementation cannot rank.
//
// A [Subject] is one implementation: the Go-native ones live in
// bench/native, and [OpenAdapter] wraps any adapter whose harness
// announces the "bench" capability of PROTOCOL.md. The implementation
// times its own loop: process start and protocol time never enter a
// figure. [Run] interleaves the runs of all subjects and writes one
// benchmark line per run through golang.org/x/perf/benchfmt.
package bench

import (
	"fmt"
	"regexp"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Entry is the name of the function every workload's module defines:
// `async def run(n)` performs n operations and returns a value that
// depends on all of them ([Workload.Result]).
const Entry = "run"

// Workload is one benchmark program.
type Workload struct {
	// ID names the workload in benchmark keys (/workload=ID) and on the
	// command line (--workload=REGEX). It is short and has no '/', '=' or
	// space.
	ID string
	// Description says in one line what one item costs.
	Description string
	// ItemsPerOp is how many items one operation of run(n) produces:
	// 1 for most, the tree's size for the tree walk.
	ItemsPerOp int
	// Needs lists the capabilities the program cannot run without; an
	// implementation lacking one does not run the workload (unsupported).
	Needs []Capability
	// Module defines Entry and what it uses.
	Module []Stmt
	// Check is the main of the conformance scenario: it observes the
	// workload's items for small sizes, and run's results.
	Check []Stmt
	// Expect is what Check observes on CPython 3.11.
	Expect []Observation
	// Result is what run(ops) returns, for ops >= 0: the driver compares it
	// with what the timed call returned.
	Result func(ops int) Value
}

// Scenario is the workload's conformance scenario: its module and its
// check. Every implementation that is timed on the workload must first
// pass it.
func (w *Workload) Scenario() *Scenario {
	return &Scenario{
		ID:     w.scenarioID(),
		Title:  "benchmark workload " + w.ID + ": " + w.Description,
		Needs:  w.Needs,
		Module: w.Module,
		Main:   w.Check,
	}
}

// TimingScenario is the program a harness times: the module alone, with
// an empty main (PROTOCOL.md, "bench").
func (w *Workload) TimingScenario() *Scenario {
	return &Scenario{
		ID:     w.scenarioID(),
		Title:  "benchmark workload " + w.ID + " (timed)",
		Needs:  w.Needs,
		Module: w.Module,
	}
}

func (w *Workload) scenarioID() string { return "BENCH-" + w.ID }

// Select returns the workloads whose ID matches pattern (all for ""), in
// the order of [Workloads]. It fails on a bad pattern or one that
// matches nothing, naming the workloads there are.
func Select(pattern string) ([]*Workload, error) {
	if pattern == "" {
		return Workloads, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("--workload=%q: %v", pattern, err)
	}
	var out []*Workload
	for _, w := range Workloads {
		if re.MatchString(w.ID) {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--workload=%q matches no workload; there are %s", pattern, workloadIDs())
	}
	return out, nil
}

func workloadIDs() string {
	s := ""
	for i, w := range Workloads {
		if i > 0 {
			s += ", "
		}
		s += w.ID
	}
	return s
}

// Lookup returns the workload with the given ID, or nil.
func Lookup(id string) *Workload {
	for _, w := range Workloads {
		if w.ID == id {
			return w
		}
	}
	return nil
}
