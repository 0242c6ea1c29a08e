// Package reports reads the suite's Ginkgo JSON reports and turns them
// into per-spec results that CI gates and the published reports use.
package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
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
	NotRun      = "not-run"
)

// States lists the states in report order.
var States = []string{Passed, Failed, Unsupported, Skipped, Errored, NotRun}

// Spec is the result of one spec.
type Spec struct {
	// ID is the behaviour id (the spec's first label).
	ID     string
	Title  string
	Labels []string
	State  string
	// Reason explains unsupported, skipped and errored states.
	Reason string
	// Failure is Ginkgo's failure message (the observation diff of a failed
	// spec).
	Failure string
	// Missing names the capabilities an unsupported spec needs and the
	// implementation does not announce.
	Missing []string
	// Error classifies an errored spec.
	Error *ErrorInfo
	// Expected and Observed are the observations, one per line (see
	// [Outcome]); FirstDifference is a failed spec's first differing one.
	Expected, Observed []string
	FirstDifference    *Difference
	Differs            []int
	// Location is where the spec is written, "spec/catalogue_r.go:40".
	Location string
	// Implementation is what the spec ran on (empty in reports written
	// before the suite recorded it).
	Implementation Implementation
}

// Suite is one run of the suite against one adapter.
type Suite struct {
	Path        string
	Description string
	Specs       []Spec
	// RunFailures are failures outside the specs: the suite could not
	// start (its BeforeSuite says why: an adapter that does not open, a bad
	// flag) or no spec ran (a ReportAfterSuite names the filters). A run
	// with any is a failed run whatever its specs say.
	RunFailures []string
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
				// BeforeSuite and the like
				if sr.State.Is(types.SpecStateFailureStates) {
					s.RunFailures = append(s.RunFailures, sr.Failure.Message)
				}
				continue
			}
			sp := specOf(sr)
			if sp.State == NotRun && r.SuiteConfig.SemVerFilter != "" {
				// left out by the version filter, not by a label filter:
				// the behaviour does not exist in this language version
				if ok, err := sr.MatchesSemVerFilter(r.SuiteConfig.SemVerFilter); err == nil && !ok {
					sp.State, sp.Reason = Skipped, "not in this language version ("+r.SuiteConfig.SemVerFilter+")"
				}
			}
			s.Specs = append(s.Specs, sp)
		}
		sort.SliceStable(s.Specs, func(i, j int) bool { return compareIDs(s.Specs[i].ID, s.Specs[j].ID) < 0 })
		out = append(out, s)
	}
	return out, nil
}

func specOf(sr types.SpecReport) Spec {
	labels := sr.Labels()
	s := Spec{Title: sr.LeafNodeText, Labels: labels, Failure: sr.Failure.Message, Location: location(sr.LeafNodeLocation)}
	if len(labels) > 0 {
		s.ID = labels[0]
	}
	for _, e := range sr.ReportEntries {
		if e.Name != ResultEntry {
			continue
		}
		var o Outcome
		if err := json.Unmarshal([]byte(e.Value.AsJSON), &o); err == nil && o.State != "" {
			s.State, s.Reason, s.Error = o.State, o.Reason, o.Error
			s.Expected, s.Observed, s.FirstDifference, s.Differs = o.Expected, o.Observed, o.FirstDifference, o.Differs
			s.Implementation, s.Missing = o.Implementation, o.Missing
		} else {
			// reports written before the entry was an Outcome: "state: reason"
			s.State, s.Reason, _ = strings.Cut(e.StringRepresentation(), ": ")
		}
		if s.State == Errored && s.Error == nil {
			c := ClassifyError(s.Reason)
			s.Error = &c
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
		s.Error = &ErrorInfo{Kind: Harness}
	}
	return s
}

// location shows a spec's location relative to the module root, where
// the suite's files are (Ginkgo records absolute paths).
func location(l types.CodeLocation) string {
	if l.FileName == "" {
		return ""
	}
	name := l.FileName
	if i := strings.LastIndex(name, "/spec/"); i >= 0 {
		name = name[i+1:]
	}
	return fmt.Sprintf("%s:%d", name, l.LineNumber)
}

// Implementation returns what the suite ran against, as its specs
// recorded it (the zero Implementation if no spec reached the adapter).
func (s Suite) Implementation() Implementation {
	for _, sp := range s.Specs {
		if sp.Implementation.Name != "" {
			return sp.Implementation
		}
	}
	return Implementation{}
}

// compareIDs orders behaviour ids by their letters, then numerically:
// B2 before B13.
func compareIDs(a, b string) int {
	la, na := splitID(a)
	lb, nb := splitID(b)
	if la != lb {
		return strings.Compare(la, lb)
	}
	if na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

func splitID(id string) (letters string, number int) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(id[i:])
	if err != nil {
		return id, -1
	}
	return id[:i], n
}

// Count tallies the suite's specs by state.
func (s Suite) Count() map[string]int {
	n := map[string]int{}
	for _, sp := range s.Specs {
		n[sp.State]++
	}
	return n
}
