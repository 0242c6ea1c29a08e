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
// broken reference (adapters/interp/mutants) against a correct
// implementation: the generator must reach every bug within a few
// thousand programs. A mutant of the interpreter's Ops is held against
// the reference; a mutant of the reference library changes the whole
// process, so it is held against CPython 3.11 (and needs a build with
// -tags aiterspec_mutants, as `make test` runs this test).
func TestSearchFindsEveryMutant(t *testing.T) {
	budget := 3000
	if testing.Short() {
		budget = 600
	}
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	for _, m := range mutants.All {
		t.Run(m.Name, func(t *testing.T) {
			against := func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil }
			workers := 0
			if m.Library {
				probe, err := m.Open(opts)
				if err != nil {
					t.Skipf("a library mutant: %v", err)
				}
				probe.Close()
				against = cpython311(t, opts)
				workers = 1 // one library mutant per process
			}
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
		})
	}
}
