package reports_test

import (
	"testing"

	"github.com/aiterspec/aiterspec/reports"
)

// testdata/pypy-sample.json is a real report of the suite against PyPy,
// trimmed, with one passed spec turned into an errored one as a harness
// crash records it.
func TestLoadReadsEveryState(t *testing.T) {
	suites, err := reports.Load("testdata/pypy-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(suites) != 1 {
		t.Fatalf("got %d suites, want 1", len(suites))
	}
	got := suites[0].Count()
	want := map[string]int{reports.Passed: 3, reports.Failed: 1, reports.Unsupported: 1, reports.Errored: 1, reports.NotRun: 2}
	for state, n := range want {
		if got[state] != n {
			t.Errorf("%d %s specs, want %d (all: %v)", got[state], state, n, got)
		}
	}
	for _, sp := range suites[0].Specs {
		switch sp.State {
		case reports.Errored:
			if sp.ID != "SEED-AGEN-ORDER" || sp.Reason != "the harness was killed by signal 11 (SIGSEGV) before answering" {
				t.Errorf("errored spec read as %s %q", sp.ID, sp.Reason)
			}
		case reports.Unsupported:
			if sp.ID != "B13" || sp.Reason == "" {
				t.Errorf("unsupported spec read as %s %q", sp.ID, sp.Reason)
			}
		case reports.Failed:
			if sp.ID != "S08" || sp.Failure == "" {
				t.Errorf("failed spec read as %s with failure %q", sp.ID, sp.Failure)
			}
		}
	}
}

func TestLoadRejectsOtherFiles(t *testing.T) {
	if _, err := reports.Load("ginkgo.go"); err == nil {
		t.Error("a Go file loaded as a report")
	}
	if _, err := reports.Load("testdata/missing.json"); err == nil {
		t.Error("a missing file loaded as a report")
	}
}
