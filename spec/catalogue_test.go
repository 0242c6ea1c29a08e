package spec_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/internal/readmetable"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// These tests are of the suite itself, not of an implementation. The
// declarations are collected when the package is initialised (a malformed
// one, such as an id declared twice, stops the binary there), so they need
// no Ginkgo run.

func TestEveryBehaviourHasSpecsOfItsOwn(t *testing.T) {
	bs := spec.Behaviours()
	if len(bs) == 0 {
		t.Fatal("no behaviours declared")
	}
	n := 0
	for _, b := range bs {
		if len(b.Specs) == 0 {
			t.Errorf("%s: behaviour %s has no spec", b.Location, b.ID)
		}
		for _, c := range b.Specs {
			if c.Scenario.ID != b.ID {
				t.Errorf("%s: spec %q of %s has id %q", c.Location, c.Scenario.Title, b.ID, c.Scenario.ID)
			}
		}
		n += len(b.Specs)
	}
	if n != len(spec.Cases()) {
		t.Errorf("Behaviours have %d specs, Cases %d", n, len(spec.Cases()))
	}
}

// Every scenario must survive its own wire format: this catches a spec
// built with a missing field or an unknown name long before a harness
// sees it.
func TestEveryScenarioRoundTripsThroughJSON(t *testing.T) {
	for _, c := range spec.Cases() {
		data, err := json.Marshal(&c.Scenario)
		if err != nil {
			t.Errorf("%s: %s %q: encode: %v", c.Location, c.Scenario.ID, c.Scenario.Title, err)
			continue
		}
		back, err := scenario.Decode(data)
		if err != nil {
			t.Errorf("%s: %s %q: decode: %v", c.Location, c.Scenario.ID, c.Scenario.Title, err)
			continue
		}
		again, _ := json.Marshal(back)
		if !reflect.DeepEqual(data, again) {
			t.Errorf("%s: %s %q: JSON changed on a round trip:\n%s\n%s", c.Location, c.Scenario.ID, c.Scenario.Title, data, again)
		}
	}
}

func TestTitlesAreUniqueWithinABehaviour(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range spec.Cases() {
		key := c.Scenario.ID + ": " + c.Scenario.Title
		if seen[key] {
			t.Errorf("%s: two specs are both %q", c.Location, key)
		}
		seen[key] = true
	}
}

// The README's behaviour table is generated from spec.Behaviours. After
// adding or changing a behaviour, rewrite it with
//
//	AITERSPEC_UPDATE_README=1 go test -run TestREADMEBehaviourTable ./spec
func TestREADMEBehaviourTable(t *testing.T) {
	want := behaviourTable()
	readmetable.Check(t, "../README.md", "behaviours", want, "go test -run TestREADMEBehaviourTable ./spec")
}

func behaviourTable() string {
	var b strings.Builder
	for _, f := range spec.Families {
		fmt.Fprintf(&b, "\n**%s — %s**\n\n| id | behaviour |\n|---|---|\n", f.Prefix, f.Title)
		for _, beh := range spec.Behaviours() {
			if beh.Family == f.Prefix {
				fmt.Fprintf(&b, "| %s | %s |\n", beh.ID, strings.ReplaceAll(beh.Summary, "|", "\\|"))
			}
		}
	}
	return b.String() + "\n"
}
