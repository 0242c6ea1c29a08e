package reports_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/reports"
)

// The testdata reports are real runs of the suite (trimmed to a few specs
// each) against the reference, CPython 3.11 and 3.8, PyPy and the
// minimal Node harness.
var sampleRuns = []string{"reference", "cpython-3.11", "cpython-3.8", "pypy", "node-minimal"}

var sampleFamilies = []reports.Family{{Prefix: "G", Title: "Async generators"}, {Prefix: "R", Title: "Concurrency"}}

var sampleBehaviours = []reports.Behaviour{
	{ID: "G01", Family: "G", Summary: "async generator yields values in order"},
	{ID: "R01", Family: "R", Summary: "concurrent anext()"},
	{ID: "R05", Family: "R", Summary: "the generator calling anext() on itself"},
}

var sampleDate = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

func sampleColumns(t testing.TB) []reports.Column {
	t.Helper()
	var cols []reports.Column
	for _, name := range sampleRuns {
		suites, err := reports.Load(filepath.Join("testdata", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		s := suites[0]
		// The baseline is what the run did, except PyPy's R05, left out
		// so that the matrix has a failure the gate did not expect.
		b, _ := reports.Update(nil, s)
		if name == "pypy" {
			var kept []reports.Entry
			for _, e := range b.Entries {
				if e.ID != "R05" {
					kept = append(kept, e)
				}
			}
			b.Entries = kept
		}
		cols = append(cols, reports.NewColumn(s, b, reports.Provenance{Adapter: name, Commit: "abc1234", Date: sampleDate, Baseline: name + ".json"}))
	}
	return cols
}

// ginkgoCounts counts a Ginkgo JSON report's specs by Ginkgo's own states,
// without the reports package.
func ginkgoCounts(t testing.TB, path string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		SpecReports []struct {
			LeafNodeType  string
			State         string
			ReportEntries []struct{ Name string }
		}
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, sr := range raw[0].SpecReports {
		if sr.LeafNodeType != "It" {
			continue
		}
		ran := len(sr.ReportEntries) > 0 // a spec left out by a filter records nothing
		if !ran {
			sr.State = "not run"
		}
		n[sr.State]++
	}
	return n
}

func TestMatrixNumbersMatchTheGinkgoReports(t *testing.T) {
	cols := sampleColumns(t)
	m := reports.NewMatrix(sampleFamilies, sampleBehaviours, cols, sampleDate)
	var md strings.Builder
	if err := m.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for i, name := range sampleRuns {
		g := ginkgoCounts(t, filepath.Join("testdata", name+".json"))
		col := func(row string) int { return markdownCell(t, md.String(), row, i) }
		if got, want := col("specs passed"), g["passed"]; got != want {
			t.Errorf("%s: page says %d passed, Ginkgo %d", name, got, want)
		}
		if got, want := col("specs failed")+col("specs errored"), g["failed"]; got != want {
			t.Errorf("%s: page says %d failed or errored, Ginkgo %d failed", name, got, want)
		}
		if got, want := col("specs unsupported")+col("specs skipped"), g["skipped"]; got != want {
			t.Errorf("%s: page says %d unsupported or skipped, Ginkgo %d skipped", name, got, want)
		}
		if got, want := col("specs not-run"), g["not run"]; got != want {
			t.Errorf("%s: page says %d not run, Ginkgo %d", name, got, want)
		}
	}
}

// markdownCell reads the number in column i of the summary row named row.
func markdownCell(t testing.TB, md, row string, i int) int {
	t.Helper()
	re := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(row) + ` \|(.*)\|$`)
	m := re.FindStringSubmatch(md)
	if m == nil {
		t.Fatalf("no row %q in:\n%s", row, md)
	}
	cells := strings.Split(m[1], "|")
	var n int
	if _, err := fmt.Sscan(strings.TrimSpace(cells[i]), &n); err != nil {
		t.Fatalf("row %q column %d: %q", row, i, cells[i])
	}
	return n
}

func TestMatrixCells(t *testing.T) {
	m := reports.NewMatrix(sampleFamilies, sampleBehaviours, sampleColumns(t), sampleDate)
	cell := func(id, impl string) reports.Cell {
		for _, r := range m.Rows() {
			if r.ID != id {
				continue
			}
			for i, name := range sampleRuns {
				if name == impl {
					return r.Cells[i]
				}
			}
		}
		t.Fatalf("no cell %s/%s", id, impl)
		return reports.Cell{}
	}
	for _, tc := range []struct{ id, impl, want string }{
		{"G01", "reference", reports.Passed},
		{"R05", "pypy", reports.Failed}, // not in its baseline
		{"R01", "pypy", reports.Baselined},
		{"S08", "pypy", reports.Baselined},
		{"B13", "cpython-3.8", reports.Unsupported},
		{"B13", "cpython-3.11", reports.Baselined}, // gh-131670
		{"E02", "node-minimal", reports.Baselined},
		{"C01", "node-minimal", reports.Unsupported},
	} {
		if got := cell(tc.id, tc.impl).State; got != tc.want {
			t.Errorf("%s on %s: %s, want %s", tc.id, tc.impl, got, tc.want)
		}
	}
	// Behaviours outside the catalogue still get rows, in a family of their own.
	last := m.Families[len(m.Families)-1]
	if last.Prefix != "?" || len(last.Rows) == 0 {
		t.Errorf("last family %q with %d rows", last.Prefix, len(last.Rows))
	}
	// The Node example supports too little to share a behaviour with all;
	// without it, the Python implementations share some.
	if n := m.Interop(); n != 0 {
		t.Errorf("interop %d with the Node example, want 0", n)
	}
	python := reports.NewMatrix(sampleFamilies, sampleBehaviours, sampleColumns(t)[:4], sampleDate)
	if a := m.Agreement(); a < python.Interop() || a >= len(m.Rows()) {
		t.Errorf("agreement %d: fewer than the Python implementations' interop %d, or every row", a, python.Interop())
	}
	if n := python.Interop(); n == 0 || n >= len(python.Rows()) || !python.Rows()[0].Interop() {
		t.Errorf("interop %d of %d among the Python implementations; G01's row interoperates: %v", n, len(python.Rows()), python.Rows()[0].Interop())
	}
	pypy := m.Columns[3]
	if b := pypy.Badge(); b.Color != "critical" || !strings.Contains(b.Message, "1 regression") {
		t.Errorf("PyPy's badge with a regression: %+v", b)
	}
	if b := m.Columns[0].Badge(); b.Color != "green" || b.SchemaVersion != 1 || b.Message != "28/29 passed (97%)" {
		t.Errorf("the reference's badge: %+v", b)
	}
}

func TestWriteIsWholeFiles(t *testing.T) {
	dir := t.TempDir()
	m := reports.NewMatrix(sampleFamilies, sampleBehaviours, sampleColumns(t), sampleDate)
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"conformance.md", "conformance.html", "badges/pypy-7.3.11.json", "badges/reference-0.1.0.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, "conformance.html"))
	for _, bad := range []string{"http://", "https://", "<link rel=\"stylesheet\"", "src="} {
		if strings.Contains(string(html), bad) && bad != "https://" {
			t.Errorf("the page refers outside itself: %q", bad)
		}
	}
	if regexp.MustCompile(`(src|href)="https?:`).Match(html) {
		t.Error("the page fetches something from the network")
	}
}

func TestSummariesShowCode(t *testing.T) {
	m := reports.NewMatrix(sampleFamilies, []reports.Behaviour{{ID: "G01", Family: "G", Summary: "`__aiter__` <b> returns `a`b"}}, sampleColumns(t), sampleDate)
	var b strings.Builder
	if err := m.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if want := "<code>__aiter__</code> &lt;b&gt; returns <code>a</code>b"; !strings.Contains(b.String(), want) {
		t.Errorf("page lacks %q", want)
	}
}
