package reports_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/reports"
)

var pypy = reports.Implementation{Name: "pypy", Version: "7.3.11", Language: "python", LanguageVersion: "3.9.16"}

func exitStatus(n int) *int { return &n }

// run is a small run of PyPy: one pass, one failure, one unsupported, one
// hang, one spec left out by the label filter.
func run() reports.Suite {
	return reports.Suite{Specs: []reports.Spec{
		{ID: "G01", Title: "G01: passes", State: reports.Passed, Implementation: pypy},
		{ID: "S08", Title: "S08: wording", State: reports.Failed, Implementation: pypy,
			Failure:         "observations differ:\n✗ raised TypeError: 'async for' received an object | raised TypeError: 'async for' received a object",
			FirstDifference: &reports.Difference{Index: 1, Expected: "raised TypeError: 'async for' received an object", Observed: "raised TypeError: 'async for' received a object"}},
		{ID: "B13", Title: "B13: needs anext", State: reports.Unsupported, Reason: "pypy lacks anext-builtin", Implementation: pypy},
		{ID: "R01", Title: "R01: hangs", State: reports.Errored, Reason: "cancelled while the scenario ran (context deadline exceeded)",
			Error: &reports.ErrorInfo{Kind: reports.Timeout}, Implementation: pypy},
		{ID: "R02", Title: "R02: filtered out", State: reports.NotRun},
	}}
}

func baseline() *reports.Baseline {
	return &reports.Baseline{Implementation: "pypy", Entries: []reports.Entry{
		{ID: "S08", Spec: "S08: wording", Reason: "PyPy says 'a object'",
			Expected: reports.Mode{State: reports.Failed, FirstDifference: &reports.Difference{Index: 1,
				Expected: "raised TypeError: 'async for' received an object", Observed: "raised TypeError: 'async for' received a object"}}},
		{ID: "B13", Spec: "B13: needs anext", Reason: "Python 3.9", Expected: reports.Mode{State: reports.Unsupported}},
		{ID: "R01", Spec: "R01: hangs", Reason: "no running guard", Issue: "https://github.com/pypy/pypy/issues/3995", Timeout: "2s",
			Expected: reports.Mode{State: reports.Errored, Error: &reports.ErrorInfo{Kind: reports.Timeout}}},
	}}
}

func gate(t *testing.T, s reports.Suite, b *reports.Baseline, o reports.GateOptions) *reports.Verdict {
	t.Helper()
	if o.Today.IsZero() {
		o.Today = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	}
	v, err := reports.Gate(s, b, o)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func problems(v *reports.Verdict) string {
	var out []string
	for _, p := range v.Problems {
		out = append(out, p.String())
	}
	return strings.Join(out, "\n")
}

func TestGatePassesWhenEveryResultIsBaselined(t *testing.T) {
	v := gate(t, run(), baseline(), reports.GateOptions{})
	if !v.OK() {
		t.Fatalf("gate failed:\n%s", problems(v))
	}
	if got, want := v.Summary(), "passed 1, failed 1 (baselined 1), unsupported 1, errored 1 (baselined 1), not run 1"; got != want {
		t.Errorf("summary %q\n     want %q", got, want)
	}
}

func TestGateFindsRegressions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(s *reports.Suite, b *reports.Baseline)
		kind   reports.ProblemKind
		spec   string
		says   []string
	}{
		{"a failure with no entry", func(s *reports.Suite, b *reports.Baseline) { b.Entries = b.Entries[1:] },
			reports.NewFailure, "S08", []string{"NEW FAILURE S08: wording", "no entry", "received a object"}},
		{"an unsupported spec with no entry", func(s *reports.Suite, b *reports.Baseline) { b.Entries = append(b.Entries[:1], b.Entries[2:]...) },
			reports.NewFailure, "B13", []string{"unsupported", "pypy lacks anext-builtin"}},
		{"a crash where a hang was expected", func(s *reports.Suite, b *reports.Baseline) {
			s.Specs[3].Reason = "the harness exited with status 3 before answering"
			s.Specs[3].Error = &reports.ErrorInfo{Kind: reports.Crash, ExitStatus: exitStatus(3)}
		}, reports.ChangedMode, "R01", []string{"expected errored (timeout) [https://github.com/pypy/pypy/issues/3995]", "got      errored (crash: exit status 3)", "exited with status 3"}},
		{"another signal", func(s *reports.Suite, b *reports.Baseline) {
			b.Entries[2].Expected.Error = &reports.ErrorInfo{Kind: reports.Crash, Signal: "SIGSEGV"}
			b.Entries[2].Timeout = ""
			s.Specs[3].Error = &reports.ErrorInfo{Kind: reports.Crash, Signal: "SIGABRT"}
		}, reports.ChangedMode, "R01", []string{"expected errored (crash: SIGSEGV)", "got      errored (crash: SIGABRT)"}},
		{"a different first difference", func(s *reports.Suite, b *reports.Baseline) {
			s.Specs[1].FirstDifference = &reports.Difference{Index: 2, Expected: "value 1", Observed: reports.Nothing}
		}, reports.ChangedMode, "S08", []string{"got      failed (#2: expected value 1, observed (nothing))"}},
		{"a fix", func(s *reports.Suite, b *reports.Baseline) { s.Specs[1].State = reports.Passed },
			reports.NowPasses, "S08", []string{"now passes: remove it from the baseline"}},
		{"an expired entry", func(s *reports.Suite, b *reports.Baseline) { b.Entries[1].Expires = "2026-11-30" },
			reports.Expired, "B13", []string{"expired on 2026-11-30", "Python 3.9"}},
		{"an entry for a spec the suite lacks", func(s *reports.Suite, b *reports.Baseline) {
			b.Entries = append(b.Entries, reports.Entry{ID: "Q99", Spec: "Q99: gone", Reason: "x", Expected: reports.Mode{State: reports.Unsupported}})
		}, reports.UnknownSpec, "Q99", []string{"does not have"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, b := run(), baseline()
			tc.change(&s, b)
			v := gate(t, s, b, reports.GateOptions{})
			if len(v.Problems) != 1 {
				t.Fatalf("%d problems, want 1:\n%s", len(v.Problems), problems(v))
			}
			p := v.Problems[0]
			if p.Kind != tc.kind || p.Spec.ID != tc.spec {
				t.Errorf("problem %s on %s, want %s on %s", p.Kind, p.Spec.ID, tc.kind, tc.spec)
			}
			for _, want := range tc.says {
				if !strings.Contains(p.String(), want) {
					t.Errorf("the report lacks %q:\n%s", want, p)
				}
			}
		})
	}
}

func TestGateOptions(t *testing.T) {
	s, b := run(), baseline()
	s.Specs[1].State = reports.Passed
	if v := gate(t, s, b, reports.GateOptions{AllowFixed: true}); !v.OK() {
		t.Errorf("--allow-fixed still fails on a fixed spec:\n%s", problems(v))
	}
	b.Entries[1].Expires = "2026-12-01"
	if v := gate(t, run(), b, reports.GateOptions{}); !v.OK() {
		t.Errorf("an entry expiring today already fails:\n%s", problems(v))
	}
}

func TestGateVersionConstraints(t *testing.T) {
	b := baseline()
	b.Entries[0].Versions = ">= 7.3.12" // a newer PyPy's entry: not this run's
	v := gate(t, run(), b, reports.GateOptions{})
	if len(v.Problems) != 1 || v.Problems[0].Kind != reports.NewFailure {
		t.Errorf("an entry for other versions was applied:\n%s", problems(v))
	}
	b.Entries[0].Versions = "~7.3"
	if v := gate(t, run(), b, reports.GateOptions{}); !v.OK() {
		t.Errorf("an entry for this version was not applied:\n%s", problems(v))
	}
	b.Entries = append(b.Entries, b.Entries[0])
	if _, err := reports.Gate(run(), b, reports.GateOptions{}); err == nil || !strings.Contains(err.Error(), "two entries apply") {
		t.Errorf("overlapping entries: err = %v", err)
	}
}

func TestGateRefusesAnotherImplementationsBaseline(t *testing.T) {
	b := baseline()
	b.Implementation = "cpython"
	_, err := reports.Gate(run(), b, reports.GateOptions{})
	if err == nil || !strings.Contains(err.Error(), `the baseline is for "cpython" but the run is of "pypy"`) {
		t.Errorf("err = %v", err)
	}
	if _, err := reports.Gate(reports.Suite{Specs: []reports.Spec{{ID: "G01", State: reports.NotRun}}}, nil, reports.GateOptions{}); err == nil {
		t.Error("a run where nothing ran was gated")
	}
}

func TestBaselineFilesAreChecked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pypy.json")
	if err := baseline().Save(path); err != nil {
		t.Fatal(err)
	}
	b, err := reports.LoadBaseline(path)
	if err != nil {
		t.Fatalf("a saved baseline does not load: %v", err)
	}
	if len(b.Entries) != 3 || b.Entries[0].ID != "B13" || b.Timeouts("7.3.11")["R01: hangs"] != 2*time.Second {
		t.Errorf("round trip lost something: %+v", b)
	}
	for _, tc := range []struct{ json, want string }{
		{`{"implementation": "pypy", "entries": [], "extra": 1}`, `unknown field "extra"`},
		{`{"entries": []}`, `"implementation" is missing`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "hung"}, "reason": "r"}]}`, `entries[0] (R01): expected.state "hung"`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "errored"}, "reason": "r"}]}`, `expected.error is required`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "errored", "error": {"kind": "segv"}}, "reason": "r"}]}`, `kind "segv"`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "failed"}}]}`, `"reason" is required`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "failed"}, "reason": "r", "versions": "about 3"}]}`, `versions "about 3"`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "failed"}, "reason": "r", "expires": "next year"}]}`, `expires "next year"`},
		{`{"implementation": "pypy", "entries": [{"id": "R01", "spec": "R01: x", "expected": {"state": "failed"}, "reason": "r", "timeout": "2s"}]}`, `timeout is only for an expected hang`},
	} {
		if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := reports.LoadBaseline(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s\n  err = %v, want it to name the file and say %q", tc.json, err, tc.want)
		}
	}
}

func TestUpdateRecordsTheRun(t *testing.T) {
	s := run()
	b, changes := reports.Update(nil, s)
	if b.Implementation != "pypy" || len(b.Entries) != 3 || len(changes) != 3 {
		t.Fatalf("update of an empty baseline: %+v\nchanges: %q", b, changes)
	}
	for _, e := range b.Entries {
		if e.Versions != "~7.3" || !strings.HasPrefix(e.Reason, "recorded by --update-baseline") {
			t.Errorf("new entry %+v", e)
		}
	}
	if v := gate(t, s, b, reports.GateOptions{}); !v.OK() {
		t.Errorf("the run fails its own updated baseline:\n%s", problems(v))
	}

	// A hand-edited baseline keeps its words; a fixed spec's entry goes.
	s.Specs[1].State = reports.Passed
	b, changes = reports.Update(baseline(), s)
	if len(b.Entries) != 2 || len(changes) != 1 || !strings.Contains(changes[0], "removed S08: wording: now passes") {
		t.Errorf("entries %+v\nchanges %q", b.Entries, changes)
	}
	if b.Entries[1].Issue == "" || b.Entries[1].Timeout != "2s" {
		t.Errorf("the hang's entry lost its issue or timeout: %+v", b.Entries[1])
	}

	// Another version with the same failure widens the entry.
	other := run()
	for i := range other.Specs {
		other.Specs[i].Implementation.Version = "7.4.0"
	}
	first, _ := reports.Update(nil, run())
	both, changes := reports.Update(first, other)
	if len(both.Entries) != 3 || both.Entries[0].Versions != "~7.3 || ~7.4" {
		t.Errorf("entries %+v\nchanges %q", both.Entries, changes)
	}
}

func TestClassifyError(t *testing.T) {
	for reason, want := range map[string]string{
		"timed out after 10s; killed the harness's process group":                                   "timeout",
		"cancelled while the scenario ran (context deadline exceeded); killed it":                   "timeout",
		"the harness was killed by signal 11 (SIGSEGV) before answering\nstderr:\n  | timed out":    "crash: SIGSEGV",
		"the harness exited with status 3 before answering":                                         "crash: exit status 3",
		"protocol violation: the harness closed its standard output":                                "protocol",
		"the harness sent observations that do not decode: observations[1].kind":                    "protocol",
		"the harness could not run the scenario: boom":                                              "harness",
		"gave up on the harness after 5 restarts in a row; the last: killed by signal 11 (SIGSEGV)": "harness",
	} {
		if got := reports.ClassifyError(reason).String(); got != want {
			t.Errorf("ClassifyError(%q) = %s, want %s", reason, got, want)
		}
	}
}

func TestLacksCoverCapabilityUnsupportedSpecs(t *testing.T) {
	s := run()
	s.Specs = append(s.Specs,
		reports.Spec{ID: "G05", Title: "G05: needs anext", State: reports.Unsupported, Reason: "pypy lacks anext-builtin",
			Missing: []string{"anext-builtin"}, Implementation: pypy},
		reports.Spec{ID: "Z01", Title: "Z01: needs source and anext", State: reports.Unsupported, Reason: "pypy lacks anext-builtin source",
			Missing: []string{"anext-builtin", "source"}, Implementation: pypy})
	b := baseline()
	v := gate(t, s, b, reports.GateOptions{})
	if len(v.Problems) != 2 {
		t.Fatalf("unsupported specs without entries or lacks passed the gate:\n%s", problems(v))
	}
	b.Lacks = []reports.Lack{{Capability: "anext-builtin", Reason: "Python 3.9"}}
	v = gate(t, s, b, reports.GateOptions{})
	if len(v.Problems) != 1 || v.Problems[0].Spec.ID != "Z01" {
		t.Errorf("a spec lacking a capability the baseline does not list passed the gate:\n%s", problems(v))
	}
	b.Lacks = append(b.Lacks, reports.Lack{Capability: "source", Reason: "no source mode", Versions: ">= 8"})
	if v := gate(t, s, b, reports.GateOptions{}); len(v.Problems) != 1 {
		t.Errorf("a lack for other versions was applied:\n%s", problems(v))
	}
	b.Lacks[1].Versions = "~7.3"
	if v := gate(t, s, b, reports.GateOptions{}); !v.OK() {
		t.Errorf("gate failed:\n%s", problems(v))
	}

	u, changes := reports.Update(nil, s)
	if len(u.Lacks) != 2 || len(u.Entries) != 3 {
		t.Errorf("update: lacks %+v, entries %d, changes %q", u.Lacks, len(u.Entries), changes)
	}
	if v := gate(t, s, u, reports.GateOptions{}); !v.OK() {
		t.Errorf("the run fails its own updated baseline:\n%s", problems(v))
	}
}
