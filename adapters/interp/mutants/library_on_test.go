//go:build aiterspec_mutants

package mutants_test

import (
	"slices"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
	"github.com/aiterspec/aiterspec/reference"
)

// The library mutants and the library's mutation points are the same
// names, and opening one switches its point on until it is closed.
func TestLibraryMutantsAreTheLibrarysMutationPoints(t *testing.T) {
	var names []string
	for _, m := range mutants.Library {
		names = append(names, m.Name)
	}
	points := reference.MutationNames()
	slices.Sort(names)
	slices.Sort(points)
	if !slices.Equal(names, points) {
		t.Fatalf("library mutants %v, mutation points %v", names, points)
	}
	m := mutants.Library[0]
	a, err := m.Open(adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mutants.Library[1].Open(adapters.Options{}); err == nil {
		t.Error("a second library mutant opened while the first is open")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := mutants.Library[1].Open(adapters.Options{})
	if err != nil {
		t.Fatalf("after closing the first, the second does not open: %v", err)
	}
	b.Close()
}
