// Package reports reads the suite's Ginkgo JSON reports and turns them
// into per-spec results that CI gates and the published reports use.
package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// ResultEntry is the report entry in which every spec of the suite
// records its state, as "state" or "state: reason".
const ResultEntry = "aiterspec-result"

// The states a spec can end in. NotRun is a spec that the label filter or
// focus left out.
const (
	Passed      = "passed"
	Failed      = "failed"
	Unsupported = "unsupported"
	Skipped     = "skipped"
	Errored     = "errored"
	KnownBug    = "known-bug"
	NotRun      = "not-run"
)

// States lists the states in report order.
var States = []string{Passed, Failed, Unsupported, Skipped, KnownBug, Errored, NotRun}

// Spec is the result of one spec.
type Spec struct {
	// ID is the behaviour id (the spec's first label).
	ID     string
	Title  string
	Labels []string
	State  string
	// Reason explains unsupported, skipped, known-bug and errored states.
	Reason string
	// Failure is Ginkgo's failure message (the observation diff of a failed
	// spec).
	Failure string
}

// Suite is one run of the suite against one adapter.
type Suite struct {
	Path        string
	Description string
	Specs       []Spec
}

// Load reads a Ginkgo JSON report (as written by --json-report).
func Load(path string) ([]Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw []types.Report
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a Ginkgo JSON report: %w", path, err)
	}
	var out []Suite
	for _, r := range raw {
		s := Suite{Path: r.SuitePath, Description: r.SuiteDescription}
		for _, sr := range r.SpecReports {
			if sr.LeafNodeType != types.NodeTypeIt {
				continue // BeforeSuite and the like
			}
			s.Specs = append(s.Specs, specOf(sr))
		}
		sort.SliceStable(s.Specs, func(i, j int) bool { return s.Specs[i].ID < s.Specs[j].ID })
		out = append(out, s)
	}
	return out, nil
}

func specOf(sr types.SpecReport) Spec {
	labels := sr.Labels()
	s := Spec{Title: sr.LeafNodeText, Labels: labels, Failure: sr.Failure.Message}
	if len(labels) > 0 {
		s.ID = labels[0]
	}
	for _, e := range sr.ReportEntries {
		if e.Name == ResultEntry {
			state, reason, _ := strings.Cut(e.StringRepresentation(), ": ")
			s.State, s.Reason = state, reason
		}
	}
	if s.State != "" {
		return s
	}
	// No entry: the spec never reached the adapter.
	switch sr.State {
	case types.SpecStateSkipped, types.SpecStatePending:
		s.State = NotRun
	case types.SpecStatePassed:
		s.State = Passed
	case types.SpecStateFailed:
		s.State = Failed
	default: // panicked, interrupted, aborted, timed out
		s.State, s.Reason = Errored, sr.State.String()+": "+sr.Failure.Message
	}
	return s
}

// Count tallies the suite's specs by state.
func (s Suite) Count() map[string]int {
	n := map[string]int{}
	for _, sp := range s.Specs {
		n[sp.State]++
	}
	return n
}
