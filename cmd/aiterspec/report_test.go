package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReportNumbersMatchGinkgo runs `aiterspec report` for real on the
// reference and the Node example (when node is installed) and checks
// that the numbers on the page are those of the Ginkgo JSON reports it
// kept, counted here straight from Ginkgo's own spec states.
func TestReportNumbersMatchGinkgo(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, _ := reportCmd(t, "--out="+out, "reference", "exec:node adapters/process/examples/minimal-node/harness.mjs")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	md, err := os.ReadFile(filepath.Join(out, "conformance.md"))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(out, "conformance.html"))
	if err != nil {
		t.Fatal(err)
	}
	reportsKept, _ := filepath.Glob(filepath.Join(out, "latest", "*.json"))
	var ginkgoReports []string
	for _, r := range reportsKept {
		if !strings.HasSuffix(r, ".meta.json") {
			ginkgoReports = append(ginkgoReports, r)
		}
	}
	if len(ginkgoReports) == 0 {
		t.Fatalf("no Ginkgo report kept in %s/latest; stdout:\n%s", out, stdout)
	}
	for i, path := range ginkgoReports {
		// columns are sorted: reference first; the kept reports by file name
		// (node-minimal-..., reference-...), so find the column by title
		g := ginkgoStates(t, path)
		title := columnTitle(t, path)
		col := columnIndex(t, string(md), title)
		row := func(name string) int { return mdCell(t, string(md), name, col) }
		for _, c := range []struct {
			name string
			page int
			want int
		}{
			{"passed", row("specs passed"), g["passed"]},
			{"failed+errored", row("specs failed") + row("specs errored"), g["failed"]},
			{"unsupported+skipped+not run", row("specs unsupported") + row("specs skipped") + row("specs not-run"), g["skipped"]},
		} {
			if c.page != c.want {
				t.Errorf("%s (report %d): the page says %d %s, Ginkgo's report %d", title, i, c.page, c.name, c.want)
			}
		}
		// the HTML page's summary row says the same
		htmlPassed := regexp.MustCompile(`data-state="passed"><th scope="row">specs passed</th>((?:<td>\d+</td>)+)`).FindStringSubmatch(string(html))
		if htmlPassed == nil || !strings.Contains(htmlPassed[1], "<td>"+strconv.Itoa(g["passed"])+"</td>") {
			t.Errorf("%s: the HTML page's passed row %q lacks %d", title, htmlPassed, g["passed"])
		}
	}
	if _, err := os.Stat(filepath.Join(out, "badges", "reference-0.1.0.json")); err != nil {
		t.Error(err)
	}
}

func reportCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errs strings.Builder
	code := run(append([]string{"report"}, args...), &out, &errs)
	t.Logf("aiterspec report %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errs.String())
	return code, out.String(), errs.String()
}

// ginkgoStates counts a Ginkgo JSON report's It specs by Ginkgo's state.
func ginkgoStates(t *testing.T, path string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		SpecReports []struct{ LeafNodeType, State string }
	}
	if err := json.Unmarshal(data, &raw); err != nil || len(raw) != 1 {
		t.Fatalf("%s: %v", path, err)
	}
	n := map[string]int{}
	for _, s := range raw[0].SpecReports {
		if s.LeafNodeType == "It" {
			n[s.State]++
		}
	}
	return n
}

func columnTitle(t *testing.T, report string) string {
	t.Helper()
	var m struct {
		Adapter string `json:"adapter"`
	}
	data, err := os.ReadFile(strings.TrimSuffix(report, ".json") + ".meta.json")
	if err != nil || json.Unmarshal(data, &m) != nil {
		t.Fatalf("no provenance beside %s: %v", report, err)
	}
	// the key is NAME-VERSION; the title "NAME VERSION"
	key := strings.TrimSuffix(filepath.Base(report), ".json")
	i := strings.LastIndex(key, "-")
	return key[:i] + " " + key[i+1:]
}

func columnIndex(t *testing.T, md, title string) int {
	t.Helper()
	header := regexp.MustCompile(`(?m)^\|  \|(.*)\|$`).FindStringSubmatch(md)
	if header == nil {
		t.Fatal("no header row in the Markdown")
	}
	for i, c := range strings.Split(header[1], "|") {
		if strings.TrimSpace(c) == title {
			return i
		}
	}
	t.Fatalf("no column %q in %q", title, header[1])
	return 0
}

func mdCell(t *testing.T, md, row string, col int) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(row) + ` \|(.*)\|$`).FindStringSubmatch(md)
	if m == nil {
		t.Fatalf("no row %q", row)
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.Split(m[1], "|")[col]))
	if err != nil {
		t.Fatalf("row %q column %d: %v", row, col, err)
	}
	return n
}
