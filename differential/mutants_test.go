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
// broken reference (adapters/interp/mutants) against the reference: the
// generator must reach every bug, within a few thousand programs.
func TestSearchFindsEveryMutant(t *testing.T) {
	budget := 3000
	if testing.Short() {
		budget = 600
	}
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	for _, m := range mutants.All {
		t.Run(m.Name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var found atomic.Int64
			found.Store(-1)
			rep, err := Search(ctx, Config{
				A:     func() (adapters.Adapter, error) { return m.Open(opts), nil },
				B:     func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil },
				Seed:  1,
				Count: budget,
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
