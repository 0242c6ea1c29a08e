package pysource_test

import (
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// suite returns the scenario of every spec of the suite.
func suite(t *testing.T) []*scenario.Scenario {
	t.Helper()
	var out []*scenario.Scenario
	for _, c := range spec.Cases() {
		out = append(out, &c.Scenario)
	}
	if len(out) == 0 {
		t.Fatal("no scenarios: the suite declares no cases")
	}
	return out
}
