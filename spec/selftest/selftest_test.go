// Package selftest proves the suite can fail: it runs the whole suite
// against each deliberately broken reference (adapters/interp/mutants:
// bugs injected through the interpreter's Ops, and bugs at the reference
// library's own mutation points) and checks that every bug makes at least
// one spec of a behaviour the mutant names fail. A bug nobody catches is
// a missing spec.
//
// Only a failed spec (observations that differ) catches a bug. An errored
// one does not, a timeout least of all: a spec that hangs on a bug is a
// spec to make finite (see plainNext in spec/catalogue_n.go).
//
// `go test -v ./spec/selftest/` lists, for every mutant, the specs that
// caught it.
package selftest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
	"github.com/aiterspec/aiterspec/reports"
)

func TestEveryMutantIsCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once per mutant")
	}
	dir := t.TempDir()
	bin := suiteBinary(t)
	// A clean reference run first: a mutant is only caught if the same
	// specs pass without the bug.
	clean := runSuite(t, bin, dir, "reference")
	for _, sp := range clean {
		if sp.State == reports.Failed || sp.State == reports.Errored {
			t.Fatalf("the suite does not pass on the unbroken reference: %s %q is %s", sp.ID, sp.Title, sp.State)
		}
	}
	for _, m := range mutants.All {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			specs := runSuite(t, bin, dir, "mutant:"+m.Name)
			var caught []reports.Spec
			var alsoFailed, errored []string
			for _, sp := range specs {
				switch {
				case sp.State == reports.Failed && slices.Contains(m.Catches, sp.ID):
					caught = append(caught, sp)
				case sp.State == reports.Failed:
					alsoFailed = append(alsoFailed, sp.ID)
				case sp.State == reports.Errored:
					errored = append(errored, fmt.Sprintf("%s %q (%s)", sp.ID, sp.Title, firstLine(sp.Reason)))
				}
			}
			kind := "through the interpreter's Ops"
			if m.Library {
				kind = "in the reference library"
			}
			t.Logf("bug (%s): %s", kind, m.Bug)
			if len(errored) > 0 {
				t.Logf("errored, not counted as caught: %s", strings.Join(errored, "; "))
			}
			if len(caught) == 0 {
				t.Errorf("no spec of %s failed; failing: %s", strings.Join(m.Catches, " "), orNone(compact(alsoFailed)))
				return
			}
			var lines []string
			for _, sp := range caught {
				lines = append(lines, "\t"+sp.Title)
			}
			t.Logf("caught by %d spec(s) of %s:\n%s", len(caught), strings.Join(m.Catches, " "), strings.Join(lines, "\n"))
			if len(alsoFailed) > 0 {
				t.Logf("also failing: %s", strings.Join(compact(alsoFailed), " "))
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// The suite's test binary, built once for every test here. It registers
// the mutants (spec/mutants_test.go).
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func suiteBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "aiterspec-selftest-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "spec.test")
		// The tag compiles in the reference library's mutation points.
		out, err := exec.Command("go", "test", "-c", "-tags", mutants.BuildTag, "-o", built.bin, "../").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("building the suite: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// runSuite runs the compiled suite against adapter and returns its specs'
// results.
func runSuite(t *testing.T, bin, dir, adapter string, ginkgoFlags ...string) []reports.Spec {
	t.Helper()
	report := filepath.Join(dir, strings.ReplaceAll(adapter, ":", "-")+".json")
	// A bug may hang a scenario (an iterator that never ends); a short
	// limit keeps the run quick. A timeout is an errored spec, never a
	// caught bug.
	args := append([]string{"-test.run=^TestSpec$", "-ginkgo.no-color", "-ginkgo.json-report=" + report}, ginkgoFlags...)
	cmd := exec.Command(bin, append(args, "--adapter="+adapter, "--scenario-timeout=2s")...)
	cmd.Dir = ".." // the suite's own directory, as go test runs it
	out, err := cmd.CombinedOutput()
	suites, lerr := reports.Load(report)
	if lerr != nil || len(suites) != 1 {
		t.Fatalf("suite against %s left no report (%v; exit: %v):\n%s", adapter, lerr, err, tail(out))
	}
	return suites[0].Specs
}

func compact(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "nothing"
	}
	return strings.Join(ids, " ")
}

func tail(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("go"); err != nil {
		fmt.Fprintln(os.Stderr, "selftest: needs the go command on PATH to build the suite")
		os.Exit(1)
	}
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
