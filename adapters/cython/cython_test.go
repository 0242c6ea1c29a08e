package cython

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/scenario"
)

// The tests drive the real Cython, gcc and python3 (make setup installs
// them), each with a cache of its own: a cold cache is what they test.

// cache is the package's cache of modules, cold when the tests start:
// tests share it (each probe is built once) and build programs of their
// own.
var cache = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "aiterspec-cython-test-")
	if err != nil {
		panic(err)
	}
	return dir
})

func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(cache())
	os.Exit(code)
}

func openCython(t *testing.T) *Adapter {
	t.Helper()
	peertest.Find(t, "cython3")
	peertest.Find(t, "gcc")
	peertest.Find(t, "python3")
	t.Setenv("XDG_CACHE_HOME", cache())
	a, err := open("", adapters.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a.(*Adapter)
}

// pathWith makes a PATH of links to the named commands only.
func pathWith(t *testing.T, commands ...string) string {
	dir := t.TempDir()
	for _, c := range commands {
		path := peertest.Find(t, c)
		if c == "python3" { // pyenv's python3 is a shell script: the interpreter itself
			out, err := exec.Command(path, "-c", "import sys; print(sys.executable)").Output()
			if err != nil {
				t.Fatal(err)
			}
			path = strings.TrimSpace(string(out))
		}
		if err := os.Symlink(path, filepath.Join(dir, c)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestMissingToolsNameMakeSetup(t *testing.T) {
	for _, tc := range []struct {
		missing string
		have    []string
	}{
		{"cython3", []string{"python3", "gcc"}},
		{"gcc", []string{"python3", "cython3"}},
	} {
		t.Run(tc.missing, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", cache())
			t.Setenv("PATH", pathWith(t, tc.have...))
			a, err := open("", adapters.Options{})
			if err == nil {
				a.Close()
				t.Fatalf("opened without %s", tc.missing)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.missing+" not found") || !strings.Contains(msg, "make setup") {
				t.Errorf("error %q does not name %s and make setup", msg, tc.missing)
			}
		})
	}
	t.Run("an interpreter that is not there", func(t *testing.T) {
		_, err := open("/nonexistent/python3", adapters.Options{})
		if err == nil || !strings.Contains(err.Error(), "--adapter=cython:/nonexistent/python3") {
			t.Errorf("error %v does not name the interpreter given", err)
		}
	})
	t.Run("an interpreter Cython cannot build for", func(t *testing.T) {
		pypy := peertest.Find(t, "pypy3")
		_, err := open(pypy, adapters.Options{})
		if err == nil || !strings.Contains(err.Error(), "CPython") {
			t.Errorf("error %v does not say the adapter needs CPython", err)
		}
	})
}

func observations(obs []scenario.Observation) string {
	var s []string
	for _, o := range obs {
		s = append(s, o.String())
	}
	return strings.Join(s, "; ")
}

func run(t *testing.T, a *Adapter, s *scenario.Scenario) adapters.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return a.Run(ctx, s)
}

// agenOf is `async def agen(): yield 1; yield 2` and main observing
// [x async for x in agen()].
func agenOf() *scenario.Scenario {
	return &scenario.Scenario{ID: "T1",
		Module: []scenario.Stmt{scenario.AsyncDef("agen", scenario.YieldEach(1, 2))},
		Main: []scenario.Stmt{scenario.AsyncFor("x", scenario.Call("agen"),
			scenario.Observe(scenario.Var("x")))}}
}

func TestProgramKeyIsTheHarnesss(t *testing.T) {
	// harness.py: hashlib.sha256(program.encode("utf-8")).hexdigest()[:32]
	python := peertest.Find(t, "python3")
	program := "print('é')\n"
	out, err := exec.Command(python, "-c", `import hashlib, sys; print(hashlib.sha256(sys.argv[1].encode("utf-8")).hexdigest()[:32])`, program).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := programKey(program), strings.TrimSpace(string(out)); got != want {
		t.Errorf("programKey = %s, Python's = %s", got, want)
	}
}

func TestCython(t *testing.T) {
	a := openCython(t)
	cythonOut, err := exec.Command("cython3", "--version").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	hostOut, err := exec.Command(a.builder.tc.host.Executable, "-c", "import platform; print(platform.python_version())").Output()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("hello", func(t *testing.T) {
		info := a.Info()
		if info.Name != "cython" || !strings.Contains(string(cythonOut), info.Version) {
			t.Errorf("implementation %s %s, want cython with the version of %q", info.Name, info.Version, cythonOut)
		}
		if info.Language != "python" || info.LanguageVersion != strings.TrimSpace(string(hostOut)) {
			t.Errorf("language %s %s, want python %s (the host interpreter's)", info.Language, info.LanguageVersion, hostOut)
		}
		// Probed on Cython's code: its async generators have no ag_frame.
		if slices.Contains(info.Capabilities, scenario.CapIntrospection) {
			t.Errorf("capabilities %v include introspection, which Cython's async generators lack", info.Capabilities)
		}
		for _, c := range []scenario.Capability{scenario.CapAsyncGenerators, scenario.CapCompile, scenario.CapSource, scenario.CapTasks} {
			if !slices.Contains(info.Capabilities, c) {
				t.Errorf("capabilities %v lack %s", info.Capabilities, c)
			}
		}
	})

	t.Run("a program runs in its module", func(t *testing.T) {
		// __name__ is the namespace's, as for exec(); the generator is
		// Cython's (CPython's have ag_frame).
		s := agenOf()
		s.Main = append(s.Main, scenario.Observe(scenario.Var("__name__")),
			scenario.Observe(scenario.Call("hasattr", scenario.Call("agen"), scenario.Lit("ag_frame"))))
		r := run(t, a, s)
		if got, want := observations(r.Observations), "value '__main__'; value False"; r.State != adapters.Completed || !strings.HasSuffix(got, want) {
			t.Errorf("%s %s: %s, want %s", r.State, r.Reason, got, want)
		}
	})

	t.Run("the same program twice", func(t *testing.T) {
		// A module file initialises once per process: the harness loads a copy.
		for i := range 3 {
			if r := run(t, a, agenOf()); r.State != adapters.Completed || observations(r.Observations) != "value 1; value 2" {
				t.Errorf("run %d: %s %s %s", i, r.State, r.Reason, observations(r.Observations))
			}
		}
	})

	t.Run("Cython refuses the program", func(t *testing.T) {
		// `async for x in 5`: Cython rejects iterating over a C int.
		s := &scenario.Scenario{ID: "T2", Main: []scenario.Stmt{scenario.AsyncFor("x", scenario.Lit(5), scenario.Pass())}}
		r := run(t, a, s)
		if r.State != adapters.Unsupported || !strings.Contains(r.Reason, "Cython 0.29") || !strings.Contains(r.Reason, "async for loops not allowed on C/C++ types") {
			t.Errorf("%s %s, want unsupported with Cython's message", r.State, r.Reason)
		}
	})

	t.Run("a script Cython refuses", func(t *testing.T) {
		s := &scenario.Scenario{ID: "T3", Mode: scenario.SourceMode, Source: "print(1)\nasync for x in y:\n    pass\n"}
		r := run(t, a, s)
		if got := observations(r.Observations); r.State != adapters.Completed || got != "raised SyntaxError: Syntax error in simple statement list (line 2)" {
			t.Errorf("%s %s: %s, want Cython's SyntaxError observed", r.State, r.Reason, got)
		}
	})

	t.Run("C that gcc rejects", func(t *testing.T) {
		// An async generator whose yield follows a raise: Cython 0.29.32
		// uses StopAsyncIteration's C name without declaring it.
		s := &scenario.Scenario{ID: "T4",
			Module: []scenario.Stmt{scenario.AsyncDef("g", scenario.Raise(scenario.Call("ValueError")), scenario.Yield())},
			Main:   []scenario.Stmt{scenario.Observe(scenario.Await(scenario.ANext(scenario.Call("g"), scenario.Lit(0))))}}
		r := run(t, a, s)
		if r.State != adapters.Unsupported || !strings.Contains(r.Reason, "gcc rejects") || !strings.Contains(r.Reason, "StopAsyncIteration") {
			t.Errorf("%s %s, want unsupported with gcc's errors", r.State, r.Reason)
		}
	})

	t.Run("compile has Cython's meaning", func(t *testing.T) {
		s := &scenario.Scenario{ID: "T5", Main: []scenario.Stmt{
			scenario.Observe(scenario.Compile(scenario.AsyncDef("f", scenario.Yield(), scenario.Return(scenario.Lit(1))))),
			scenario.Observe(scenario.Compile(scenario.Def("f", scenario.Pass()))),
		}}
		r := run(t, a, s)
		want := "raised SyntaxError: Return with value in async generator (line 3); value <code object>"
		if got := observations(r.Observations); r.State != adapters.Completed || got != want {
			t.Errorf("%s %s: %s, want %s", r.State, r.Reason, got, want)
		}
		s = &scenario.Scenario{ID: "T6", Main: []scenario.Stmt{
			scenario.Observe(scenario.Compile(scenario.Def("f", scenario.Pass())).WithFlags("top_level_await"))}}
		if r := run(t, a, s); r.State != adapters.Unsupported || !strings.Contains(r.Reason, "flags") {
			t.Errorf("compile with flags: %s %s, want unsupported", r.State, r.Reason)
		}
	})

	t.Run("cached", func(t *testing.T) {
		entry := filepath.Join(a.builder.tc.dir, programKey(mustProgram(t, agenOf())), "result.json")
		before, err := os.Stat(entry)
		if err != nil {
			t.Fatalf("no cache entry: %v", err)
		}
		a.builder.forget()
		if r := run(t, a, agenOf()); r.State != adapters.Completed {
			t.Fatalf("%s %s", r.State, r.Reason)
		}
		if after, err := os.Stat(entry); err != nil || !after.ModTime().Equal(before.ModTime()) {
			t.Errorf("the cache entry was rebuilt (%v)", err)
		}
	})
}

func TestPrepareBuildsAhead(t *testing.T) {
	a := openCython(t)
	var scenarios []*scenario.Scenario
	for i := range 4 {
		s := agenOf()
		s.Main = append(s.Main, scenario.Observe(scenario.Lit(i)))
		scenarios = append(scenarios, s)
	}
	a.Prepare(scenarios)
	// Without a Run, only the workers Prepare started can build them. No
	// limit of its own (a loaded machine is slow): go test's -timeout, with
	// time left to say which was not built.
	deadline, ok := t.Deadline()
	for _, s := range scenarios {
		entry := filepath.Join(a.builder.tc.dir, programKey(mustProgram(t, s)), "result.json")
		for {
			if _, err := os.Stat(entry); err == nil {
				break
			}
			if ok && time.Until(deadline) < 10*time.Second {
				t.Fatalf("Prepare has not built %s by the test's deadline", s.ID)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func TestCloseStopsTheBuilds(t *testing.T) {
	a := openCython(t)
	var scenarios []*scenario.Scenario
	for i := range 20 {
		s := agenOf()
		s.Main = append(s.Main, scenario.Observe(scenario.Lit(100+i)))
		scenarios = append(scenarios, s)
	}
	a.Prepare(scenarios)
	time.Sleep(500 * time.Millisecond)
	a.Close()
	// Nothing is built once Close has returned: every worker has stopped,
	// and what they were building is gone.
	built := func() (n int) {
		entries, err := os.ReadDir(a.builder.tc.dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".tmp-") {
				t.Errorf("Close left %s behind", e.Name())
			}
			if _, err := os.Stat(filepath.Join(a.builder.tc.dir, e.Name(), "result.json")); err == nil {
				n++
			}
		}
		return n
	}
	before := built()
	time.Sleep(2 * time.Second)
	if after := built(); after != before {
		t.Errorf("%d modules built after Close returned", after-before)
	}
}

func mustProgram(t *testing.T, s *scenario.Scenario) string {
	t.Helper()
	p, err := programOf(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
