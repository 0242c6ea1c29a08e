package spec_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// These checks are of the suite itself, not of an implementation. The
// cases exist only once Ginkgo has built its spec tree, so TestSpec runs
// them after RunSpecs (selfChecks), not as tests of their own.

func selfChecks(t *testing.T) {
	t.Run("every behaviour has a spec and every spec a behaviour", everyBehaviourHasASpec)
	t.Run("every scenario round-trips through JSON", everyScenarioRoundTrips)
	t.Run("titles are unique within a behaviour", titlesAreUnique)
	t.Run("the README's behaviour table is current", readmeTableIsCurrent)
}

func everyBehaviourHasASpec(t *testing.T) {
	if len(spec.Cases()) == 0 {
		t.Fatal("no cases: the spec tree was not built")
	}
	known := map[string]bool{}
	for _, b := range spec.Behaviours {
		if known[b.ID] {
			t.Errorf("behaviour %s listed twice", b.ID)
		}
		known[b.ID] = true
	}
	covered := map[string]int{}
	for _, c := range spec.Cases() {
		if !known[c.Scenario.ID] {
			t.Errorf("spec %q has id %s, which is not in spec.Behaviours", c.Scenario.Title, c.Scenario.ID)
		}
		covered[c.Scenario.ID]++
	}
	for _, b := range spec.Behaviours {
		if covered[b.ID] == 0 {
			t.Errorf("behaviour %s (%s) has no spec", b.ID, b.Summary)
		}
	}
}

// Every scenario must survive its own wire format: this catches a spec
// built with a missing field or an unknown name long before a harness
// sees it.
func everyScenarioRoundTrips(t *testing.T) {
	for _, c := range spec.Cases() {
		data, err := json.Marshal(&c.Scenario)
		if err != nil {
			t.Errorf("%s %q: encode: %v", c.Scenario.ID, c.Scenario.Title, err)
			continue
		}
		back, err := scenario.Decode(data)
		if err != nil {
			t.Errorf("%s %q: decode: %v", c.Scenario.ID, c.Scenario.Title, err)
			continue
		}
		again, _ := json.Marshal(back)
		if !reflect.DeepEqual(data, again) {
			t.Errorf("%s %q: JSON changed on a round trip:\n%s\n%s", c.Scenario.ID, c.Scenario.Title, data, again)
		}
	}
}

func titlesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range spec.Cases() {
		key := c.Scenario.ID + ": " + c.Scenario.Title
		if seen[key] {
			t.Errorf("two specs are both %q", key)
		}
		seen[key] = true
	}
}

// The README's behaviour table is generated from spec.Behaviours; run
// AITERSPEC_UPDATE_README=1 go test -run TestREADME ./spec to rewrite it.
func readmeTableIsCurrent(t *testing.T) {
	const path, start, end = "../README.md", "<!-- behaviours:start -->\n", "<!-- behaviours:end -->"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(readme), start)
	_, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the %q ... %q markers", path, start, end)
	}
	want := behaviourTable()
	if os.Getenv("AITERSPEC_UPDATE_README") != "" {
		if err := os.WriteFile(path, []byte(before+start+want+end+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got, _, _ := strings.Cut(rest, end); got != want {
		t.Errorf("README.md's behaviour table is stale; run AITERSPEC_UPDATE_README=1 go test ./spec")
	}
}

func behaviourTable() string {
	var b strings.Builder
	for _, f := range spec.Families {
		fmt.Fprintf(&b, "\n**%s — %s**\n\n| id | behaviour |\n|---|---|\n", f.Prefix, f.Title)
		for _, beh := range spec.Behaviours {
			if beh.Family == f.Prefix {
				fmt.Fprintf(&b, "| %s | %s |\n", beh.ID, strings.ReplaceAll(beh.Summary, "|", "\\|"))
			}
		}
	}
	return b.String() + "\n"
}
