package mutants_test

import (
	"testing"

	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
)

func TestMutantsAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	library := 0
	for _, m := range mutants.All {
		switch {
		case seen[m.Name]:
			t.Errorf("mutant %s listed twice", m.Name)
		case m.Bug == "" || len(m.Catches) == 0:
			t.Errorf("mutant %s needs a bug and the behaviours that catch it", m.Name)
		case m.Library && m.Break != nil, !m.Library && m.Break == nil:
			t.Errorf("mutant %s: a library mutant has no Break, any other one has", m.Name)
		}
		seen[m.Name] = true
		if m.Library {
			library++
		}
	}
	if len(mutants.All) < 33 || library < 10 {
		t.Errorf("%d mutants, %d of them in the library; want at least 33 and 10", len(mutants.All), library)
	}
}
