// Package docs holds the project's documents. Its tests keep the ones that
// name behaviour ids or count things honest.
package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/spec"
)

const coverageMap = "cpython-tests-coverage.md"

// A mapRow is one test of the coverage map.
type mapRow struct {
	file, test, behaviour, status string
	ids                           []string // for status "specs"
	line                          int
}

// The statuses a row may have: the ids of the specs that check the
// behaviour, or why there are none.
const (
	statusSpecs         = "specs"
	statusNotCovered    = "not covered"
	statusNotObservable = "not observable"
)

var idInCell = regexp.MustCompile("`([^`]+)`")

// readMap parses the coverage map's two tables: the rows under the
// "## test_asyncgen.py" and "## test_coroutines.py" headings.
func readMap(t *testing.T) (rows []mapRow, text string) {
	t.Helper()
	data, err := os.ReadFile(coverageMap)
	if err != nil {
		t.Fatal(err)
	}
	text = string(data)
	file := ""
	for i, line := range strings.Split(text, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			file = ""
			for _, f := range []string{"test_asyncgen.py", "test_coroutines.py"} {
				if strings.HasPrefix(h, f) {
					file = f
				}
			}
			continue
		}
		if file == "" || !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| test |") {
			continue
		}
		cells := splitRow(line)
		if len(cells) != 3 {
			t.Errorf("%s:%d: a row needs 3 cells (test, behaviour, status), has %d", coverageMap, i+1, len(cells))
			continue
		}
		r := mapRow{file: file, test: cells[0], behaviour: cells[1], line: i + 1}
		status, rest, ok := strings.Cut(cells[2], ":")
		if !ok || strings.TrimSpace(rest) == "" {
			t.Errorf("%s:%d: %s: the status must be `specs: IDs`, `not covered: why` or `not observable: why`, got %q", coverageMap, i+1, r.test, cells[2])
			continue
		}
		r.status = status
		switch status {
		case statusSpecs:
			// The ids come first; a note in parentheses may follow.
			ids, _, _ := strings.Cut(rest, "(")
			for _, m := range idInCell.FindAllStringSubmatch(ids, -1) {
				r.ids = append(r.ids, m[1])
			}
			if len(r.ids) == 0 {
				t.Errorf("%s:%d: %s: `specs:` names no id", coverageMap, i+1, r.test)
			}
		case statusNotCovered, statusNotObservable:
		default:
			t.Errorf("%s:%d: %s: unknown status %q", coverageMap, i+1, r.test, status)
		}
		rows = append(rows, r)
	}
	return rows, text
}

// splitRow splits a Markdown table row into its cells, keeping escaped
// pipes and pipes inside code spans.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var cells []string
	var cur strings.Builder
	inCode := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case c == '`':
			inCode = !inCode
			cur.WriteByte(c)
		case c == '|' && !inCode:
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

func TestCoverageMapNamesOnlyKnownBehaviours(t *testing.T) {
	known := map[string]bool{}
	for _, b := range spec.Behaviours() {
		known[b.ID] = true
	}
	rows, _ := readMap(t)
	if len(rows) == 0 {
		t.Fatal("no rows found")
	}
	for _, r := range rows {
		for _, id := range r.ids {
			if !known[id] {
				t.Errorf("%s:%d: %s names %s, which is not a behaviour of the suite (spec.Behaviours)", coverageMap, r.line, r.test, id)
			}
		}
	}
}

func TestCoverageMapRowsAreUnique(t *testing.T) {
	rows, _ := readMap(t)
	seen := map[string]int{}
	for _, r := range rows {
		key := r.file + " " + r.test
		if prev, ok := seen[key]; ok {
			t.Errorf("%s:%d: %s is listed twice (first at line %d)", coverageMap, r.line, key, prev)
		}
		seen[key] = r.line
	}
}

// tally is the table between the tally markers, computed from the rows.
func tally(rows []mapRow) string {
	type count struct{ tests, observable, covered, notCovered, notObservable int }
	add := func(c *count, r mapRow) {
		c.tests++
		switch r.status {
		case statusSpecs:
			c.observable++
			c.covered++
		case statusNotCovered:
			c.observable++
			c.notCovered++
		case statusNotObservable:
			c.notObservable++
		}
	}
	var gen, cor, both count
	for _, r := range rows {
		if r.file == "test_asyncgen.py" {
			add(&gen, r)
		} else {
			add(&cor, r)
		}
		add(&both, r)
	}
	var b strings.Builder
	b.WriteString("| file | tests | observable | covered | not covered | not observable |\n|---|---|---|---|---|---|\n")
	line := func(name string, c count) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", name, c.tests, c.observable, c.covered, c.notCovered, c.notObservable)
	}
	line("test_asyncgen.py", gen)
	line("test_coroutines.py (counted tests)", cor)
	line("**both**", both)
	return b.String()
}

func TestCoverageMapTallyIsCurrent(t *testing.T) {
	const start, end = "<!-- tally:start -->\n", "<!-- tally:end -->"
	rows, text := readMap(t)
	_, rest, ok1 := strings.Cut(text, start)
	got, _, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the %q ... %q markers", coverageMap, start, end)
	}
	if want := tally(rows); got != want {
		t.Errorf("the tally in %s does not match its rows; it should read:\n%s", coverageMap, want)
	}
}

// cpythonTestDir finds CPython 3.11's Lib/test directory, if this machine
// has one: $AITERSPEC_CPYTHON311_TESTS, a pyenv 3.11, or the system's.
func cpythonTestDir() string {
	candidates := []string{os.Getenv("AITERSPEC_CPYTHON311_TESTS")}
	if home, err := os.UserHomeDir(); err == nil {
		found, _ := filepath.Glob(filepath.Join(home, ".pyenv/versions/3.11*/lib/python3.11/test"))
		candidates = append(candidates, found...)
	}
	candidates = append(candidates, "/usr/lib/python3.11/test", "/usr/local/lib/python3.11/test")
	for _, dir := range candidates {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "test_asyncgen.py")); err == nil {
			return dir
		}
	}
	return ""
}

var (
	classLine  = regexp.MustCompile(`^class (\w+)\b`)
	methodLine = regexp.MustCompile(`^    def (test\w*)\(self`)
)

// testMethods lists a unittest file's test methods as Class.method.
func testMethods(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	class := ""
	for _, line := range strings.Split(string(data), "\n") {
		if m := classLine.FindStringSubmatch(line); m != nil {
			class = m[1]
		} else if m := methodLine.FindStringSubmatch(line); m != nil {
			out = append(out, class+"."+m[1])
		}
	}
	return out
}

// The map must list every test method of test_asyncgen.py and only real
// tests of test_coroutines.py. CPython's test directory is documentation
// here, not a peer: without it the check is skipped.
func TestCoverageMapListsCPythonsTests(t *testing.T) {
	dir := cpythonTestDir()
	if dir == "" {
		t.Skip("no CPython 3.11 Lib/test directory here (set AITERSPEC_CPYTHON311_TESTS to one)")
	}
	rows, _ := readMap(t)
	listed := map[string][]string{}
	for _, r := range rows {
		listed[r.file] = append(listed[r.file], r.test)
	}
	asyncgen := testMethods(t, filepath.Join(dir, "test_asyncgen.py"))
	if len(asyncgen) != 65 {
		t.Errorf("%s has %d test methods; the map was written for CPython 3.11.7's 65", dir, len(asyncgen))
	}
	for _, m := range asyncgen {
		if !slices.Contains(listed["test_asyncgen.py"], m) {
			t.Errorf("test_asyncgen.py's %s is not in %s", m, coverageMap)
		}
	}
	for _, m := range listed["test_asyncgen.py"] {
		if !slices.Contains(asyncgen, m) {
			t.Errorf("%s lists %s, which test_asyncgen.py does not have", coverageMap, m)
		}
	}
	coroutines := testMethods(t, filepath.Join(dir, "test_coroutines.py"))
	for _, m := range listed["test_coroutines.py"] {
		if !slices.Contains(coroutines, m) {
			t.Errorf("%s lists %s, which test_coroutines.py does not have", coverageMap, m)
		}
	}
}

// minCovered is issue 12's goal: specs that would fail if CPython changed
// the behaviour cover at least 90% of the observable tests.
const minCovered = 0.90

func TestCoverageMapMeetsTheGoal(t *testing.T) {
	rows, _ := readMap(t)
	observable, covered := 0, 0
	for _, r := range rows {
		switch r.status {
		case statusSpecs:
			covered++
			observable++
		case statusNotCovered:
			observable++
		}
	}
	if observable == 0 || float64(covered) < minCovered*float64(observable) {
		t.Errorf("specs cover %d of %d observable tests; the goal is %.0f%%", covered, observable, 100*minCovered)
	}
}
