package bench_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/bench"
)

// results makes a results file: for each "workload/impl" key, ten
// measurements spread ±1% around the given ns/item.
func results(t *testing.T, name string, figures map[string]float64) *bench.Results {
	t.Helper()
	var b strings.Builder
	b.WriteString("goos: linux\ncommit: " + name + "\n")
	for i := range 10 {
		for key, ns := range figures {
			w, impl, _ := strings.Cut(key, "/")
			jitter := 1 + float64(i%5-2)/200
			fmt.Fprintf(&b, "BenchmarkAsyncIter/workload=%s/impl=%s 1000 %g ns/item 0.01 empty-ns/item\n", w, impl, ns*jitter)
		}
	}
	r, err := bench.ParseResults(name, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCompare(t *testing.T) {
	old := results(t, "old.txt", map[string]float64{"asyncgen/cpython-3.11.7": 60, "class/cpython-3.11.7": 40, "tree/cpython-3.11.7": 900})
	for _, c := range []struct {
		name      string
		new       map[string]float64
		threshold float64
		fail      []string // the regressions
		says      string
	}{
		{"unchanged", map[string]float64{"asyncgen/cpython-3.11.7": 60, "class/cpython-3.11.7": 40, "tree/cpython-3.11.7": 900}, 0.05, nil, "ok: no significant slowdown above 5%"},
		{"a 10% slowdown", map[string]float64{"asyncgen/cpython-3.11.7": 66, "class/cpython-3.11.7": 40, "tree/cpython-3.11.7": 900}, 0.05,
			[]string{"workload=asyncgen/impl=cpython-3.11.7"}, "SLOWER"},
		{"a 10% slowdown under a 15% threshold", map[string]float64{"asyncgen/cpython-3.11.7": 66, "class/cpython-3.11.7": 40, "tree/cpython-3.11.7": 900}, 0.15, nil, "+10.00%"},
		{"a speed-up", map[string]float64{"asyncgen/cpython-3.11.7": 30, "class/cpython-3.11.7": 40, "tree/cpython-3.11.7": 900}, 0.05, nil, "-50.00%"},
		{"a workload no longer measured", map[string]float64{"asyncgen/cpython-3.11.7": 60, "class/cpython-3.11.7": 40}, 0.05,
			[]string{"workload=tree/impl=cpython-3.11.7"}, "in OLD only: not measured in NEW  MISSING"},
		{"another version of the implementation", map[string]float64{"asyncgen/cpython-3.12.1": 80, "class/cpython-3.12.1": 40, "tree/cpython-3.12.1": 900}, 0.05,
			[]string{"workload=asyncgen/impl=cpython-3.11.7"}, "cpython-3.11.7 -> cpython-3.12.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmp := bench.CompareResults(old, results(t, "new.txt", c.new), c.threshold, bench.SecPerItem)
			var got []string
			for _, ch := range cmp.Regressions() {
				got = append(got, ch.Old.String())
			}
			if strings.Join(got, " ") != strings.Join(c.fail, " ") {
				t.Errorf("regressions %v, want %v", got, c.fail)
			}
			var out bytes.Buffer
			if err := cmp.WriteText(&out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), c.says) {
				t.Errorf("the comparison does not say %q:\n%s", c.says, out.String())
			}
		})
	}
}

func TestParseThreshold(t *testing.T) {
	for in, want := range map[string]float64{"5%": 0.05, "5": 0.05, "0.05": 0.05, "12.5%": 0.125, "0": 0} {
		if got, err := bench.ParseThreshold(in); err != nil || got != want {
			t.Errorf("ParseThreshold(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "five", "-5%", "NaN"} {
		if _, err := bench.ParseThreshold(bad); err == nil {
			t.Errorf("ParseThreshold(%q) succeeded", bad)
		}
	}
}

func TestParseResultsRefusesAFileWithoutResults(t *testing.T) {
	if _, err := bench.ParseResults("empty.txt", []byte("goos: linux\n")); err == nil {
		t.Error("no error for a file without results")
	}
}
