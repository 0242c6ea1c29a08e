package python_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/python"
	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/scenario"
)

func need(t *testing.T, interpreter string) string {
	t.Helper()
	return peertest.Find(t, interpreter)
}

func open(t *testing.T, spec string, opts adapters.Options) adapters.Adapter {
	t.Helper()
	a, err := adapters.Open(spec, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", spec, err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// evens is FORMAT.md's example: get_evens yields 0 2 4, main awaits anext
// four times.
func evens() *scenario.Scenario {
	s := &scenario.Scenario{ID: "SEED-AGEN-ORDER", Module: []scenario.Stmt{
		scenario.AsyncDef("get_evens", scenario.YieldEach(0, 2, 4)),
	}, Main: []scenario.Stmt{scenario.Let("evens", scenario.Call("get_evens"))}}
	for range 4 {
		s.Main = append(s.Main, scenario.Observe(scenario.Await(scenario.ANext(scenario.Var("evens")))))
	}
	return s
}

func checkEvens(t *testing.T, a adapters.Adapter) {
	t.Helper()
	r := a.Run(context.Background(), evens())
	want := []scenario.Observation{scenario.Got(0), scenario.Got(2), scenario.Got(4), scenario.Raises("StopAsyncIteration", "")}
	if r.State != adapters.Completed || len(r.Observations) != len(want) {
		t.Fatalf("result %+v", r)
	}
	for i := range want {
		if r.Observations[i].String() != want[i].String() {
			t.Errorf("observation %d: %s, want %s", i, r.Observations[i], want[i])
		}
	}
}

func TestCPython(t *testing.T) {
	need(t, "python3")
	a := open(t, "cpython", adapters.Options{})
	info := a.Info()
	if info.Name != "cpython" || info.Language != "python" || !strings.HasPrefix(info.LanguageVersion, "3.") {
		t.Fatalf("info %+v", info)
	}
	checkEvens(t, a)
}

func TestPyPy(t *testing.T) {
	need(t, "pypy3")
	a := open(t, "pypy", adapters.Options{})
	if info := a.Info(); info.Name != "pypy" {
		t.Fatalf("info %+v", info)
	}
	checkEvens(t, a)
	// PyPy 3.9 has no anext builtin: a scenario that tests it is
	// unsupported, and never reaches the harness.
	s := evens()
	s.Needs = []scenario.Capability{scenario.CapANextBuiltin}
	if r := a.Run(context.Background(), s); r.State != adapters.Unsupported || !strings.Contains(r.Reason, "anext-builtin") {
		t.Errorf("result %+v", r)
	}
}

// The harness says what it runs on, whatever the adapter's name.
func TestCPythonAdapterOnPyPy(t *testing.T) {
	pypy := need(t, "pypy3")
	a := open(t, "cpython:"+pypy, adapters.Options{})
	if info := a.Info(); info.Name != "pypy" {
		t.Fatalf("info %+v", info)
	}
}

func TestPythonOption(t *testing.T) {
	python := need(t, "python3")
	a := open(t, "cpython", adapters.Options{Python: python})
	checkEvens(t, a)
	if _, err := adapters.Open("cpython:/usr/bin/python3", adapters.Options{Python: "/opt/other/python3"}); err == nil ||
		!strings.Contains(err.Error(), "two interpreters named") {
		t.Errorf("conflicting interpreters: %v", err)
	}
}

func TestMissingInterpreter(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := adapters.Open("pypy", adapters.Options{})
	want := `pypy3 not found on PATH: install it with "apt-get install -y pypy3" (or run "make setup"), or point --adapter=pypy:/path/to/pypy3`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("pypy: %v\nwant it to contain %s", err, want)
	}
	_, err = adapters.Open("cpython", adapters.Options{})
	want = `python3 not found on PATH: install it with "apt-get install -y python3" (or run "make setup"), or point --adapter=cpython:/path/to/python3 or --python=/path/to/python3`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("cpython: %v\nwant it to contain %s", err, want)
	}
	_, err = adapters.Open("cpython:/nowhere/python3.99", adapters.Options{})
	if err == nil || !strings.Contains(err.Error(), "/nowhere/python3.99 not found (") {
		t.Errorf("explicit path: %v", err)
	}
}

// The harness is written to a temporary file at open and removed at close.
func TestTempFileRemoved(t *testing.T) {
	need(t, "python3")
	t.Setenv("TMPDIR", t.TempDir())
	a, err := adapters.Open("cpython", adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "aiterspec-harness-*.py"))
	if len(files) != 1 {
		t.Fatalf("harness files while open: %v", files)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(files[0]); !os.IsNotExist(err) {
		t.Errorf("%s survives Close", files[0])
	}
}
