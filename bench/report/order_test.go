package report

import (
	"slices"
	"testing"

	"github.com/aiterspec/aiterspec/bench"
)

func TestImplOrder(t *testing.T) {
	r := &bench.Results{Impls: []string{"reference", "go-pull", "cpython-3.10.13", "pypy-7.3.11",
		"cpython-3.12.1", "cpython-3.11.7", "cpython-3.8.18", "exec-1"}}
	want := []string{"cpython-3.11.7", "reference", "go-pull", "cpython-3.8.18", "cpython-3.10.13",
		"cpython-3.12.1", "pypy-7.3.11", "exec-1"}
	if got := implOrder(r); !slices.Equal(got, want) {
		t.Errorf("implOrder = %v, want %v (the base, then the run's order, versions together and oldest first)", got, want)
	}
}
