package differential

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
	"github.com/aiterspec/aiterspec/scenario"
)

// TestSearchFindsEveryMutant runs generated programs on each deliberately
// broken interpreter (a mutant of adapters/interp's Ops) against the
// correct reference: the generator must reach every bug within a few
// thousand programs. Both sides run in process (a few seconds in all), so
// -short searches as far: a smaller budget would miss the bugs the
// generator reaches late.
func TestSearchFindsEveryMutant(t *testing.T) {
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	against := func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil }
	for _, m := range mutants.All {
		if m.Library {
			continue // TestSearchFindsEveryLibraryMutant
		}
		t.Run(m.Name, func(t *testing.T) { searchFinds(t, m, against, 0, opts) })
	}
}

// TestSearchFindsEveryLibraryMutant does the same for the mutants of the
// reference library. One changes the whole process, so each is held
// against CPython 3.11, one worker at a time, and the test needs a build
// with -tags aiterspec_mutants: `make test` runs it so (target unit).
func TestSearchFindsEveryLibraryMutant(t *testing.T) {
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	if probe, err := mutants.Library[0].Open(opts); err != nil {
		t.Skipf("library mutants need -tags aiterspec_mutants (make test builds it): %v", err)
	} else {
		probe.Close()
	}
	if testing.Short() {
		t.Skip("-short: the library mutants are searched against CPython 3.11, one program at a time; run without -short")
	}
	against := cpython311(t, opts)
	for _, m := range mutants.Library {
		t.Run(m.Name, func(t *testing.T) { searchFinds(t, m, against, 1, opts) })
	}
}

// searchFinds searches seed 1 for the first program on which the mutant
// m and against observe differently, and fails if a budget of programs
// shows none.
func searchFinds(t *testing.T, m mutants.Mutant, against func() (adapters.Adapter, error), workers int, opts adapters.Options) {
	const budget = 3000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var found atomic.Int64
	found.Store(-1)
	rep, err := Search(ctx, Config{
		A:       func() (adapters.Adapter, error) { return m.Open(opts) },
		B:       against,
		Seed:    1,
		Count:   budget,
		Workers: workers,
		Tick: func(n uint64, _ *scenario.Scenario, o Outcome) {
			if o.Verdict == Diverge && found.CompareAndSwap(-1, int64(n)) {
				cancel()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if found.Load() < 0 {
		t.Errorf("%d programs never showed the bug %q (%s)", rep.Programs, m.Name, m.Bug)
		return
	}
	t.Logf("program %d shows it", found.Load())
}
