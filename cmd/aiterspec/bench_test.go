package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/internal/peertest"
)

func TestBenchListsTheWorkloads(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"bench", "--list"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	for _, w := range bench.Workloads {
		if !strings.Contains(out.String(), w.ID+" ") || !strings.Contains(out.String(), w.Description) {
			t.Errorf("--list lacks %s", w.ID)
		}
	}
}

// TestBenchMeasuresAGoNativeSubject runs the command as a user would, on
// one workload of go-pull, and reads its output back.
func TestBenchMeasuresAGoNativeSubject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	var out, errs bytes.Buffer
	code := run([]string{"bench", "--adapter=go-pull", "--workload=^class$", "--count=3", "--target=1ms", "--warmup=1ms", "-o", path}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	res, err := bench.ReadResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Values[bench.Key{Workload: "class", Impl: "go-pull"}][bench.SecPerItem]); n != 3 {
		t.Errorf("%d measurements, want 3", n)
	}
	if !strings.Contains(errs.String(), "1 of 1 workload×implementation pairs measured, 3 runs each") {
		t.Errorf("stderr: %s", &errs)
	}
	if strings.Contains(errs.String(), "\r") {
		t.Error("progress written to something that is not a terminal")
	}
}

func TestBenchFaults(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"bench", "--adapter=nosuch"}, 2, `unknown adapter "nosuch"; known adapters:`},
		{[]string{"bench", "--adapter=nosuch"}, 2, "or a Go-native subject: reference, go-chan, go-pull"},
		// A misspelt name is not a missing peer: --skip-missing does not hide it.
		{[]string{"bench", "--adapter=nosuch", "--adapter=go-pull", "--skip-missing"}, 2, `unknown adapter "nosuch"`},
		{[]string{"bench", "--workload=nothing"}, 2, "matches no workload; there are asyncgen"},
		{[]string{"bench", "--count=0"}, 2, "--count=0"},
		{[]string{"bench", "--compare", "one.txt"}, 2, "--compare takes two results files"},
		{[]string{"bench", "--compare", "--threshold=lots", "a", "b"}, 2, "want a percentage"},
		{[]string{"bench", "--compare", "no-such-old.txt", "no-such-new.txt"}, 2, "no-such-old.txt"},
		{[]string{"bench", "extra"}, 2, "unexpected arguments"},
	} {
		var out, errs bytes.Buffer
		code := run(c.args, &out, &errs)
		if code != c.code || !strings.Contains(errs.String(), c.says) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d saying %q", c.args, code, &errs, c.code, c.says)
		}
	}
}

// TestBenchMissingPeer: an implementation that is known but not installed
// fails the run, after everything else was measured; --skip-missing leaves
// it out with a note, except in CI (AITERSPEC_REQUIRE_PEERS set), where a
// missing peer is a failure whatever the flags say. Both settings of the
// variable are tried here, whichever one the test runs under.
func TestBenchMissingPeer(t *testing.T) {
	const missing = "cpython:/nonexistent/python3"
	for _, c := range []struct {
		require, skip bool
		code          int
		says          []string
	}{
		{false, false, 1, []string{"no CPython interpreter at /nonexistent/python3"}},
		{false, true, 0, []string{"skipping " + missing + ": ", "no CPython interpreter at /nonexistent/python3"}},
		{true, true, 1, []string{"AITERSPEC_REQUIRE_PEERS is set: --skip-missing is ignored", "no CPython interpreter at /nonexistent/python3"}},
	} {
		name := fmt.Sprintf("require=%v/skip-missing=%v", c.require, c.skip)
		t.Run(name, func(t *testing.T) {
			if c.require {
				t.Setenv("AITERSPEC_REQUIRE_PEERS", "1")
			} else {
				t.Setenv("AITERSPEC_REQUIRE_PEERS", "")
			}
			args := []string{"bench", "--adapter=" + missing, "--adapter=go-pull", "--workload=^class$", "--count=1", "--target=1ms", "--warmup=0"}
			if c.skip {
				args = append(args, "--skip-missing")
			}
			var out, errs bytes.Buffer
			code := run(args, &out, &errs)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, &errs)
			}
			for _, want := range c.says {
				if !strings.Contains(errs.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, &errs)
				}
			}
			// The run goes on for everything else, and the results say
			// what was left out (the reports show that line).
			if !strings.Contains(out.String(), "BenchmarkAsyncIter/workload=class/impl=go-pull ") {
				t.Errorf("go-pull was not measured:\n%s", &out)
			}
			if !strings.Contains(out.String(), "# not measured: impl="+missing+": ") {
				t.Errorf("the results do not say %s was not measured:\n%s", missing, &out)
			}
		})
	}
}

// TestBenchCannotTime: an implementation whose harness cannot time
// workloads (the Node example announces no "bench") is not measured, and
// the results say why; it is not a missing peer, so even in CI
// (AITERSPEC_REQUIRE_PEERS) it fails nothing.
func TestBenchCannotTime(t *testing.T) {
	peertest.Find(t, "node")
	t.Setenv("AITERSPEC_REQUIRE_PEERS", "1")
	harness, err := filepath.Abs(filepath.Join("..", "..", "adapters", "process", "examples", "minimal-node", "harness.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	example := "exec:node " + harness
	var out, errs bytes.Buffer
	code := run([]string{"bench", "--adapter=" + example, "--adapter=go-pull", "--workload=^class$", "--count=1", "--target=1ms", "--warmup=0"}, &out, &errs)
	if code != 0 {
		t.Errorf("exit %d, want 0; stderr:\n%s", code, &errs)
	}
	if want := `cannot time workloads: node-minimal`; !strings.Contains(errs.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, &errs)
	}
	if want := "# not measured: impl=" + example + `: adapter "` + example + `" cannot time workloads: `; !strings.Contains(out.String(), want) {
		t.Errorf("the results lack %q:\n%s", want, &out)
	}
	if !strings.Contains(out.String(), "BenchmarkAsyncIter/workload=class/impl=go-pull ") {
		t.Errorf("go-pull was not measured:\n%s", &out)
	}
}

// TestBenchCompareGates: exit 0 for the same figures, 1 for a significant
// slowdown above the threshold.
func TestBenchCompareGates(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, ns float64) string {
		var b strings.Builder
		for i := range 10 {
			fmt.Fprintf(&b, "BenchmarkAsyncIter/workload=asyncgen/impl=cpython-3.11.7 1000 %g ns/item %g cpu-ns/item\n",
				ns+float64(i%3), ns+float64(i%3))
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	old, same, slower := write("old.txt", 60), write("same.txt", 60), write("slower.txt", 70)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{old, same}, 0, "ok: no significant slowdown above 5%"},
		{[]string{old, slower}, 1, "FAIL: 1 regression(s): workload=asyncgen/impl=cpython-3.11.7"},
		{[]string{"--threshold=20%", old, slower}, 0, "ok: no significant slowdown above 20%"},
		{[]string{"--unit=cpu-ns/item", old, slower}, 1, "cpu-sec/item"},
	} {
		var out, errs bytes.Buffer
		code := run(append([]string{"bench", "--compare"}, c.args...), &out, &errs)
		if code != c.code || !strings.Contains(out.String(), c.says) {
			t.Errorf("%q: exit %d, output:\n%s%s\nwant exit %d saying %q", c.args, code, &out, &errs, c.code, c.says)
		}
	}
}

func TestBenchReportWritesBothPages(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command for go tool benchstat")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "bench.txt")
	var b strings.Builder
	for i := range 6 {
		fmt.Fprintf(&b, "BenchmarkAsyncIter/workload=asyncgen/impl=go-pull 1000 %d ns/item\n", 100+i)
		fmt.Fprintf(&b, "BenchmarkAsyncIter/workload=asyncgen/impl=reference 1000 %d ns/item\n", 120+i)
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	md, html := filepath.Join(dir, "bench.md"), filepath.Join(dir, "bench.html")
	var out, errs bytes.Buffer
	if code := run([]string{"bench", "--report", "--md", md, "--html", html, in}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	for _, p := range []string{md, html} {
		data, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(data), "go-pull") {
			t.Errorf("%s: %v, or it does not show go-pull", p, err)
		}
	}
}
