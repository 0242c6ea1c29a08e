package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/bench/report"
)

var impls = map[string]float64{"reference": 120, "go-pull": 100, "cpython-3.11.7": 60, "pypy-7.3.11": 15}

// resultsFile writes a results file with 8 runs of two workloads on four
// implementations (cpython-3.11.7 not first, to see it become the base).
func resultsFile(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\ncpu: Test CPU\ncommit: 0123abcd\ndate: 2026-12-02T00:00:00Z\ntarget: 20ms\nwarmup: 100ms\n")
	for _, impl := range []string{"reference", "go-pull", "cpython-3.11.7", "pypy-7.3.11"} {
		fmt.Fprintf(&b, "impl-%s: %s, described\n", impl, impl)
	}
	for i := range 8 {
		for _, w := range []string{"asyncgen", "tree"} {
			for _, impl := range []string{"reference", "go-pull", "cpython-3.11.7", "pypy-7.3.11"} {
				ns := impls[impl] * (1 + float64(i%4)/100)
				if w == "tree" {
					ns *= 12
				}
				fmt.Fprintf(&b, "BenchmarkAsyncIter/workload=%s/impl=%s 1000 %g ns/item 0.01 empty-ns/item %g cpu-ns/item\n", w, impl, ns, ns*0.9)
			}
		}
	}
	b.WriteString("\n# clock: impl=cpython-3.11.7: time.perf_counter_ns, resolution 1 ns\n")
	b.WriteString("# not measured: workload=anext impl=pypy-7.3.11: unsupported: no anext builtin\n")
	path := filepath.Join(t.TempDir(), "bench.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// goToolBenchstat runs the module's benchstat tool, as the command does.
func goToolBenchstat(args ...string) ([]byte, error) {
	out, err := exec.Command("go", append([]string{"tool", "benchstat"}, args...)...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return nil, fmt.Errorf("%v: %s", err, ee.Stderr)
	}
	return out, err
}

func TestMarkdownHasBenchstatTables(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command for go tool benchstat")
	}
	res, err := bench.ReadResults(resultsFile(t))
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := report.Markdown(&md, res, bench.SecPerItem, goToolBenchstat); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	for _, want := range []string{
		"CPU Test CPU", "suite commit 0123abcd",
		"| `pypy-7.3.11` | pypy-7.3.11, described |",
		"each column is compared with `cpython-3.11.7`",
		"### asyncgen: async for over an async generator",
		"### tree: in-order walk",
		"workload=anext impl=pypy-7.3.11: unsupported: no anext builtin",
		"a bare `iter.Pull` loop over the same items (`go-pull`) 101.5ns: a ratio of **1.20**",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("bench.md lacks %q", want)
		}
	}
	// benchstat's comparison table: CPython 3.11 is the base column, the
	// others are compared with it.
	header := regexp.MustCompile(`│\s+cpython-3\.11\.7\s+│\s+reference\s+│\s+go-pull\s+│\s+pypy-7\.3\.11\s+│`)
	if !header.MatchString(text) {
		t.Errorf("no -col /impl table with cpython-3.11.7 first:\n%s", text)
	}
	if !strings.Contains(text, "+100.00% (p=0.000 n=8)") { // reference is twice CPython's 60 ns
		t.Errorf("no significant difference against the base:\n%s", text)
	}
	if strings.Contains(text, "goos: linux\n") {
		t.Error("benchstat's configuration header is repeated in the tables")
	}
}

func TestHTMLIsSelfContainedWithAChartPerWorkload(t *testing.T) {
	res, err := bench.ReadResults(resultsFile(t))
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := report.HTML(&page, res, bench.SecPerItem); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if n := strings.Count(html, "<svg"); n != 2 {
		t.Errorf("%d charts, want one per workload (2)", n)
	}
	for _, bad := range []string{"<script", "src=", "<link", "@import"} {
		if strings.Contains(html, bad) {
			t.Errorf("the page loads something (%q): it must be self-contained", bad)
		}
	}
	// Every chart is well-formed SVG naming every implementation, with
	// error bars (the CI of 8 runs is finite).
	for _, svg := range regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(html, -1) {
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Errorf("a chart is not well-formed XML: %v", err)
		}
		for impl := range impls {
			if !strings.Contains(svg, ">"+impl+"<") {
				t.Errorf("a chart does not name %s", impl)
			}
		}
	}
	for _, want := range []string{"60.9ns", "± 1%", "Not measured", "unsupported: no anext builtin"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
