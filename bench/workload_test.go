package bench_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/scenario"
)

// TestWorkloadsConform runs every workload's conformance scenario on the
// reference and on CPython and requires the expected observations: the
// expectations are CPython's, and the reference agrees.
func TestWorkloadsConform(t *testing.T) {
	for _, name := range []string{"reference", "cpython"} {
		t.Run(name, func(t *testing.T) {
			if name == "cpython" {
				peertest.Find(t, "python3")
			}
			a, err := adapters.Open(name, adapters.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			for _, w := range bench.Workloads {
				res := a.Run(context.Background(), w.Scenario())
				if res.State != adapters.Completed {
					t.Errorf("%s: %s: %s", w.ID, res.State, res.Reason)
					continue
				}
				if !scenario.Matches(w.Expect, res.Observations, scenario.ExactMessages) {
					t.Errorf("%s: observed %v, want %v", w.ID, res.Observations, w.Expect)
				}
			}
		})
	}
}

// TestWorkloadScenariosSurviveJSON checks that what goes over the wire
// decodes to the same scenario.
func TestWorkloadScenariosSurviveJSON(t *testing.T) {
	for _, w := range bench.Workloads {
		for _, s := range []*scenario.Scenario{w.Scenario(), w.TimingScenario()} {
			data, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			back, err := scenario.Decode(data)
			if err != nil {
				t.Fatalf("%s: %v", w.ID, err)
			}
			again, _ := json.Marshal(back)
			if string(again) != string(data) {
				t.Errorf("%s: the scenario changes through JSON", w.ID)
			}
		}
	}
}
