package python_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process/protocoltest"
	"github.com/aiterspec/aiterspec/adapters/python"
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
	// An interpreter named by its path: the error names the path, and
	// does not suggest installing a package (issue 14 §7).
	for _, tc := range []struct{ spec, python, want string }{
		{"cpython:/nowhere/python3.99", "", "no CPython interpreter at /nowhere/python3.99: the path does not exist (named by --adapter=cpython:/nowhere/python3.99)"},
		{"pypy:/nowhere/pypy3", "", "no PyPy interpreter at /nowhere/pypy3: the path does not exist (named by --adapter=pypy:/nowhere/pypy3)"},
		{"cpython", "/nowhere/python3.99", "no CPython interpreter at /nowhere/python3.99: the path does not exist (named by --python=/nowhere/python3.99)"},
		{"cpython:" + t.TempDir(), "", "the path is a directory"},
	} {
		_, err = adapters.Open(tc.spec, adapters.Options{Python: tc.python})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "apt-get") {
			t.Errorf("%s --python=%q: %v\nwant it to contain %s, and no apt-get", tc.spec, tc.python, err, tc.want)
		}
	}
}

// Nothing is left behind by a run, finished or interrupted (issue 14 §7):
// the harness files live in the user's cache directory, written once under
// a name that is their content's hash; nothing is written to the temporary
// directory at any time, so a run killed half-way leaves nothing there.
func TestNoFileLeftBehind(t *testing.T) {
	need(t, "python3")
	tmp, cache := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("XDG_CACHE_HOME", cache)
	entries := func(dir string) []string {
		t.Helper()
		var names []string
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if path != dir && !strings.Contains(path, "__pycache__") {
				rel, _ := filepath.Rel(dir, path)
				names = append(names, rel)
			}
			return nil
		})
		return names
	}
	a := open(t, "cpython", adapters.Options{})
	checkEvens(t, a)
	if got := entries(tmp); len(got) > 0 {
		t.Errorf("files in the temporary directory while the adapter is open: %v", got)
	}
	held := entries(cache)
	if len(held) != 4 || !strings.HasPrefix(held[1], filepath.Join("aiterspec", "python-harness-")) ||
		filepath.Base(held[2]) != "harness.py" || filepath.Base(held[3]) != "runtime.py" {
		t.Fatalf("cache directory holds %v, want aiterspec/python-harness-HASH/{harness,runtime}.py", held)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if got := entries(tmp); len(got) > 0 {
		t.Errorf("files in the temporary directory after Close: %v", got)
	}
	// A second run finds the same copy; a damaged copy is replaced.
	checkEvens(t, open(t, "cpython", adapters.Options{}))
	if got := entries(cache); !slices.Equal(got, held) {
		t.Errorf("after a second run the cache holds %v, want %v", got, held)
	}
	if err := os.WriteFile(filepath.Join(cache, held[3]), []byte("garbage = (\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	checkEvens(t, open(t, "cpython", adapters.Options{}))
	if got := entries(cache); !slices.Equal(got, held) {
		t.Errorf("after repairing a damaged copy the cache holds %v, want %v", got, held)
	}
	if got := entries(tmp); len(got) > 0 {
		t.Errorf("files in the temporary directory at the end: %v", got)
	}
}

// The harness passes both tiers of the protocol checks on each interpreter
// (the capabilities differ: PyPy 3.9 has no anext builtin, so the checks
// do too).
func TestProtocolCPython(t *testing.T) {
	protocoltest.Check(t, []string{need(t, "python3"), "-u", "-I", "-S", "adapters/python/harness.py"})
}

func TestProtocolPyPy(t *testing.T) {
	protocoltest.Check(t, []string{need(t, "pypy3"), "-u", "-I", "-S", "adapters/python/harness.py"})
}

// A pyenv shim is skipped when pyenv's answer is plain: the interpreter
// starts without the shim's tens of milliseconds (seconds on a loaded
// machine). Anything unusual leaves the shim to decide.
func TestPyenvShimIsSkipped(t *testing.T) {
	root := t.TempDir()
	shims := filepath.Join(root, "shims")
	write := func(path, text string, mode os.FileMode) {
		t.Helper()
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	shim := filepath.Join(shims, "python3")
	write(shim, "#!/usr/bin/env bash\nset -e\nprogram=\"${0##*/}\"\nexport PYENV_ROOT=\""+root+"\"\nexec \""+root+"/libexec/pyenv\" exec \"$program\" \"$@\"\n", 0o755)
	for _, v := range []string{"3.11.7", "3.10.13"} {
		write(filepath.Join(root, "versions", v, "bin", "python3"), "#!/bin/sh\n", 0o755)
	}
	os.MkdirAll(filepath.Join(root, "versions", "nobin"), 0o755)
	project := filepath.Join(root, "project", "sub")
	os.MkdirAll(project, 0o755)
	t.Chdir(project)
	t.Setenv("PYENV_DIR", "")
	for _, tc := range []struct {
		name, env, global, local, want string
	}{
		{"global version", "", "3.11.7\n", "", "versions/3.11.7/bin/python3"},
		{"PYENV_VERSION first", "3.10.13", "3.11.7\n", "3.11.7", "versions/3.10.13/bin/python3"},
		{".python-version above the directory", "", "3.11.7\n", "# comment\n3.10.13\n", "versions/3.10.13/bin/python3"},
		{"several versions: the first with the program", "nobin:3.10.13", "", "", "versions/3.10.13/bin/python3"},
		{"system", "", "system\n", "", ""},
		{"not installed", "", "3.99.0\n", "", ""},
		{"one of several not installed", "3.11.7:3.99.0", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PYENV_VERSION", tc.env)
			write(filepath.Join(root, "version"), tc.global, 0o644)
			local := filepath.Join(root, "project", ".python-version")
			os.Remove(local)
			if tc.local != "" {
				write(local, tc.local, 0o644)
			}
			want := ""
			if tc.want != "" {
				want = filepath.Join(root, tc.want)
			}
			if got := python.PyenvTarget(shim); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	// Not a shim: an interpreter, or a script that is not pyenv's.
	if got := python.PyenvTarget(filepath.Join(root, "versions", "3.11.7", "bin", "python3")); got != "" {
		t.Errorf("an interpreter resolved to %q", got)
	}
}
