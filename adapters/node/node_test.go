package node_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/adapters/node"
	"github.com/aiterspec/aiterspec/adapters/process/protocoltest"
	"github.com/aiterspec/aiterspec/internal/peertest"
	. "github.com/aiterspec/aiterspec/scenario"
)

// What each engine's hello must say: its own version (the one
// package.json pins) and the Python version it implements.
var want = map[string]struct {
	version, language string
	times             bool // the hello offers "bench" (PROTOCOL.md §4)
}{
	"micropython": {"1.27.0", "3.4.", true}, // performance.now() (micropython_glue.py)
	"pyodide":     {"314.0.7", "3.14.", true},
	"brython":     {"3.14.3", "3.14.", false}, // asyncio.run cannot block
}

// engines keeps one adapter per engine for the whole test binary: loading
// an engine is the expensive part (Pyodide and Brython take seconds), so
// each loads once, and the tests that need every engine load them in
// parallel subtests.
var engines = func() map[string]*opening {
	m := map[string]*opening{}
	for _, e := range node.Engines {
		m[e.Name] = &opening{}
	}
	return m
}()

type opening struct {
	once sync.Once
	a    adapters.Adapter
	err  error
}

func open(t *testing.T, name string) adapters.Adapter {
	t.Helper()
	peertest.Find(t, "node")
	dir, err := node.Dir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		peertest.Missing(t, "the npm packages are not installed in %s (run make setup)", dir)
	}
	o := engines[name]
	o.once.Do(func() { o.a, o.err = adapters.Open(name, adapters.Options{ScenarioTimeout: 20 * time.Second}) })
	if o.err != nil {
		t.Fatalf("Open(%q): %v", name, o.err)
	}
	return o.a
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, o := range engines {
		if o.a != nil {
			o.a.Close()
		}
	}
	os.Exit(code)
}

func TestHello(t *testing.T) {
	for _, e := range node.Engines {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a := open(t, e.Name)
			info := a.Info()
			w := want[e.Name]
			if info.Name != e.Name || info.Version != w.version || info.Language != "python" ||
				!strings.HasPrefix(info.LanguageVersion, w.language) {
				t.Errorf("hello says %+v; want %s %s implementing Python %s*", info, e.Name, w.version, w.language)
			}
			timer, ok := a.(adapters.Timer)
			if times := ok && timer.CanTime() == nil; times != w.times {
				t.Errorf("can time workloads: %v, want %v", times, w.times)
			}
		})
	}
}

// classBased is a program every engine can run: a class-based async
// iterator under async for, an await of a non-awaitable, and an exception
// escaping a statement.
func classBased() *Scenario {
	return &Scenario{
		ID: "SEED-CUSTOM-ITERATOR",
		Module: []Stmt{Class("Countdown",
			Def("__init__", SetAttr(Self(), "n", Var("n"))).WithParams("n"),
			Def("__aiter__", Return(Self())),
			AsyncDef("__anext__",
				If(BinOp(Attr(Self(), "n"), "==", Lit(0)), Raise(Var("StopAsyncIteration"))),
				SetAttr(Self(), "n", BinOp(Attr(Self(), "n"), "-", Lit(1))),
				Do(Await(Sleep(0))),
				Return(Attr(Self(), "n")),
			),
		)},
		Main: []Stmt{
			AsyncFor("x", Call("Countdown", Lit(3)), Observe(Var("x"))),
			Emit("after"),
			Raise(Exc("ValueError", "boom")),
		},
	}
}

// TestAgreesWithReference runs classBased on every engine and on the
// reference: the observations must be the same (types; messages differ
// between engines).
func TestAgreesWithReference(t *testing.T) {
	ref, err := adapters.Open("reference", adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	expected := ref.Run(context.Background(), classBased())
	if expected.State != adapters.Completed || len(expected.Observations) != 5 {
		t.Fatalf("reference: %+v", expected)
	}
	for _, e := range node.Engines {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			got := open(t, e.Name).Run(context.Background(), classBased())
			if got.State != adapters.Completed {
				t.Fatalf("%s: %s: %s", e.Name, got.State, got.Reason)
			}
			if !Matches(expected.Observations, got.Observations, ExactMessages) {
				t.Errorf("%s observes what the reference does not:\n%s", e.Name, SideBySide(expected.Observations, got.Observations, ExactMessages))
			}
		})
	}
}

// TestMissingCapabilityIsUnsupported: MicroPython has no async generators,
// and says so in its hello; a scenario needing them is unsupported.
func TestMissingCapabilityIsUnsupported(t *testing.T) {
	a := open(t, "micropython")
	for _, c := range a.Info().Capabilities {
		if c == CapAsyncGenerators {
			t.Fatalf("micropython announces %s, which MicroPython 1.27 does not have", c)
		}
	}
	s := &Scenario{ID: "G01", Needs: []Capability{CapAsyncGenerators},
		Module: []Stmt{AsyncDef("agen", YieldEach(1, 2))},
		Main:   []Stmt{AsyncFor("x", Call("agen"), Observe(Var("x")))}}
	if r := a.Run(context.Background(), s); r.State != adapters.Unsupported || !strings.Contains(r.Reason, string(CapAsyncGenerators)) {
		t.Errorf("result %+v, want unsupported naming %s", r, CapAsyncGenerators)
	}
}

// TestHangRestartsTheEngine: a program that never yields to the event loop
// hangs the engine; the scenario times out, the engine is restarted, and
// the next scenario runs.
func TestHangRestartsTheEngine(t *testing.T) {
	peertest.Find(t, "node")
	a, err := adapters.Open("micropython", adapters.Options{ScenarioTimeout: 3 * time.Second})
	if err != nil {
		if strings.Contains(err.Error(), "make setup") {
			peertest.Missing(t, "%v", err)
		}
		t.Fatal(err)
	}
	defer a.Close()
	forever := &Scenario{ID: "SEED-CUSTOM-ITERATOR",
		Module: []Stmt{Class("Forever", Def("__aiter__", Return(Self())), AsyncDef("__anext__", Return(Lit(1))))},
		Main:   []Stmt{AsyncFor("x", Call("Forever"), Pass())}}
	if r := a.Run(context.Background(), forever); r.State != adapters.Errored || !strings.Contains(r.Reason, "timed out") {
		t.Fatalf("endless loop: %+v, want errored: timed out", r)
	}
	if r := a.Run(context.Background(), classBased()); r.State != adapters.Completed {
		t.Fatalf("after the restart: %+v", r)
	}
}

// TestSyncSleepLeavesNothingScheduled: on MicroPython, asyncio.sleep()
// awaited in a coroutine driven by hand pushes the port's top-level task
// onto the scheduler's queue, which sets a JavaScript timer. Pushed three
// times, the task made the queue loop; the timer, fired between two
// requests, then stepped it forever and the engine never answered the next one
// (found by aiterspec diff: programs 1199 and 1200 of seed 1). The pause
// gives the timer its chance to fire; the next program must still complete.
func TestSyncSleepLeavesNothingScheduled(t *testing.T) {
	a := open(t, "micropython")
	bySend := &Scenario{ID: "SEED-CUSTOM-ITERATOR", Mode: SyncMode,
		Module: []Stmt{Class("It", AsyncDef("__anext__", Do(Await(Sleep(0))), Return(Lit(1))))},
		Main: []Stmt{
			Observe(Method(Method(Call("It"), "__anext__"), "send", Lit(nil))),
			Observe(Method(Method(Call("It"), "__anext__"), "send", Lit(nil))),
			Observe(Method(Method(Call("It"), "__anext__"), "send", Lit(nil))),
		}}
	if r := a.Run(context.Background(), bySend); r.State != adapters.Completed {
		t.Fatalf("sleep driven by hand: %+v", r)
	}
	time.Sleep(200 * time.Millisecond)
	if r := a.Run(context.Background(), classBased()); r.State != adapters.Completed {
		t.Fatalf("the program after it: %s: %s", r.State, r.Reason)
	}
}

func TestMissingNodeNamesSetup(t *testing.T) {
	_, err := adapters.Open("pyodide:/nonexistent/node", adapters.Options{})
	if err == nil || !strings.Contains(err.Error(), "make setup") || !strings.Contains(err.Error(), "Node.js") {
		t.Fatalf("error %v, want one naming Node.js and make setup", err)
	}
}

// TestProtocol runs the protocol's own checks (adapters/process/protocoltest)
// on the harness with MicroPython, the engine that loads fastest: the
// protocol loop (harness.mjs and runtime.py's handle) is the same for every
// engine. For the others:
//
//	AITERSPEC_HARNESS='node adapters/node/harness.mjs brython' go test ./adapters/process/protocoltest/
func TestProtocol(t *testing.T) {
	open(t, "micropython") // skips without node or the npm packages
	dir, err := node.Dir()
	if err != nil {
		t.Fatal(err)
	}
	protocoltest.CheckCommand(t, protocoltest.Command{
		Argv:         []string{"node", filepath.Join(dir, "harness.mjs"), "micropython"},
		StartTimeout: time.Minute,
	})
}
