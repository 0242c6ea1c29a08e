package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/reports"
)

// These tests run the real suite against real PyPy through `go tool
// ginkgo`, as CI does, on a few specs each (--label-filter): G01 passes,
// S08 fails (a wording), R05 fails (another exception), R01 hangs.
const pypySpecs = "--label-filter=G01 || S08 || R05 || R01"

func checkCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(append([]string{"check"}, args...), &out, &errs)
	t.Logf("aiterspec check %s: exit %d\n%s%s", strings.Join(args, " "), code, &out, &errs)
	return code, out.String(), errs.String()
}

func wantAll(t *testing.T, text string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("output lacks %q", f)
		}
	}
}

// One run of PyPy against a baseline with every kind of problem, kept
// with --json; then the same report gated again, without re-running, against
// PyPy's real baseline.
func TestCheckGatesPyPyThroughItsBaseline(t *testing.T) {
	t.Parallel()
	peertest.Find(t, "pypy3")
	const real = "../../reports/baselines/pypy.json"
	b, err := reports.LoadBaseline(real)
	if err != nil {
		t.Fatal(err)
	}
	var kept []reports.Entry
	for _, e := range b.Entries {
		switch e.ID {
		case "R05": // deleted: R05's failure is new
			continue
		case "S08": // expired yesterday
			e.Expires = time.Now().AddDate(0, 0, -1).Format("2006-01-02")
		}
		kept = append(kept, e)
	}
	// an entry for a spec that passes
	const g01 = "G01: async for over an async generator gives 1 2 3 in order"
	b.Entries = append(kept, reports.Entry{ID: "G01", Spec: g01, Reason: "hand-made", Expected: reports.Mode{State: reports.Unsupported}})
	dir := t.TempDir()
	modified, report, junit := filepath.Join(dir, "pypy.json"), filepath.Join(dir, "report.json"), filepath.Join(dir, "junit.xml")
	if err := b.Save(modified); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := checkCmd(t, "--adapter=pypy", "--baseline="+modified, "--junit="+junit, "--json="+report, pypySpecs)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	wantAll(t, out,
		"passed 2, failed 2 (baselined 1), unsupported 0, errored 1 (baselined 1), ",
		"NEW FAILURE R05: ", "RuntimeError: anext(): asynchronous generator is already running", "ValueError: async generator already executing",
		"EXPIRED S08: ", "expired on ",
		"3 regressions against "+modified)
	if !strings.Contains(out, "NOW PASSES "+g01) || !strings.Contains(out, "now passes: remove it from the baseline") {
		t.Errorf("the entry for a passing spec is not named; is G01's name still %q?", g01)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, string(data), `failures="3"`, "baselined: errored (timeout)")

	code, out, _ = checkCmd(t, "--baseline="+real, report)
	if code != 0 {
		t.Errorf("exit %d on PyPy's own baseline, want 0", code)
	}
	wantAll(t, out, "passed 2, failed 2 (baselined 2), unsupported 0, errored 1 (baselined 1), ")
}

// A harness that announces itself as PyPy and crashes where PyPy hangs is
// a regression, not the known hang.
func TestCheckACrashWhereAHangWasExpectedIsARegression(t *testing.T) {
	t.Parallel()
	peertest.Find(t, "pypy3")
	python := peertest.Find(t, "python3")
	code, out, _ := checkCmd(t, "--adapter=exec:"+python+" cmd/aiterspec/testdata/crash-on-r01.py",
		"--baseline=../../reports/baselines/pypy.json", "--label-filter=R01 || G01")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	wantAll(t, out, "CHANGED FAILURE R01: ", "expected errored (timeout) [https://github.com/pypy/pypy/issues/3995",
		"got      errored (crash: exit status 3)", "exited with status 3")
}

func TestCheckUpdateBaselineThenGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path, report := filepath.Join(dir, "reference.json"), filepath.Join(dir, "report.json")
	code, out, _ := checkCmd(t, "--adapter=reference", "--baseline="+path, "--update-baseline", "--json="+report, "--label-filter=G01 || Z01")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	wantAll(t, out, "added: lacks source", "wrote "+path)
	var b reports.Baseline
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &b); err != nil || b.Implementation != "reference" || len(b.Lacks) != 1 {
		t.Fatalf("written baseline %s: %v", data, err)
	}
	code, out, _ = checkCmd(t, "--baseline="+path, report)
	if code != 0 {
		t.Errorf("exit %d gating against the baseline just written", code)
	}
	wantAll(t, out, "unsupported 1, errored 0")
}

func TestCheckUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--adapter=pythn"}, `unknown adapter "pythn"`},
		{[]string{"--adapter=exec:/nonexistent/harness"}, "the harness never started"},
		{[]string{"--adapter=reference", "--label-filter=NO-SUCH-ID"}, "nothing ran"},
		{[]string{"--adapter=reference", "--baseline=/nonexistent/b.json"}, "no such file"},
		{[]string{"--adapter=reference", "report.json"}, `unexpected argument "report.json"`},
		{[]string{"--label-filter=G01", "r.json"}, "unknown flag --label-filter=G01 (Ginkgo's flags need --adapter)"},
		{[]string{"--adapter=reference", "--update-baseline", "--allow-fixed"}, "do not go together"},
		{[]string{}, "give --adapter=NAME"},
	} {
		code, _, errs := checkCmd(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.says) {
			t.Errorf("check %q: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.says)
		}
	}
}
