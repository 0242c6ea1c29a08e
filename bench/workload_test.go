package bench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/internal/readmetable"
	"github.com/aiterspec/aiterspec/scenario"
)

// TestWorkloadsConform runs every workload's conformance scenario on the
// reference, CPython and PyPy and requires the expected observations: the
// expectations are CPython's, and the others agree (or lack a capability
// the workload needs).
func TestWorkloadsConform(t *testing.T) {
	for _, name := range []string{"reference", "cpython", "pypy"} {
		t.Run(name, func(t *testing.T) {
			switch name {
			case "cpython":
				peertest.Find(t, "python3")
			case "pypy":
				peertest.Find(t, "pypy3")
			}
			a, err := adapters.Open(name, adapters.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			for _, w := range bench.Workloads {
				res := a.Run(context.Background(), w.Scenario())
				if missing := w.Scenario().Missing(a.Info().Capabilities); len(missing) > 0 {
					// PyPy 3.9 has no anext builtin: the workload is not
					// measured there, which the driver reports.
					if res.State != adapters.Unsupported {
						t.Errorf("%s: %s without %v, want unsupported", w.ID, res.State, missing)
					}
					continue
				}
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

// The README's workload table is generated from bench.Workloads. After
// adding or changing a workload, rewrite it with
//
//	AITERSPEC_UPDATE_README=1 go test -run TestREADMEWorkloadTable ./bench
func TestREADMEWorkloadTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("| workload | what one item costs | items per operation |\n|---|---|---|\n")
	for _, w := range bench.Workloads {
		fmt.Fprintf(&b, "| `%s` | %s | %d |\n", w.ID, strings.NewReplacer("|", "\\|", "_", "\\_").Replace(w.Description), w.ItemsPerOp)
	}
	want := b.String()
	readmetable.Check(t, "../README.md", "workloads", want, "go test -run TestREADMEWorkloadTable ./bench")
}
