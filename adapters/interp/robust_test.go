package interp_test

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/reference"
	. "github.com/aiterspec/aiterspec/scenario"
)

// growForever never ends: a for loop over a list that the body extends.
var growForever = async(nil, Let("l", Lit(VList(1))), For("x", Var("l"), Do(Method(Var("l"), "append", Var("x")))))

// spinForever never ends either, but in an async generator driven across
// event loop turns, with tasks and suspended frames alive.
var spinForever = async(mod(
	AsyncDef("ticker", Let("l", Lit(VList(1))), For("x", Var("l"), Do(Method(Var("l"), "append", Var("x"))), Do(Await(Sleep(0))), Yield(Var("x"))))),
	Let("t", Call("asyncio.create_task", Call("asyncio.sleep", Lit(100)))),
	AsyncFor("x", Call("ticker"), Pass()))

func TestTimeout(t *testing.T) {
	before := interpGoroutines()
	a := interp.New(interp.DefaultOps(), adapters.Options{ScenarioTimeout: 100 * time.Millisecond})
	for _, sc := range []Scenario{growForever, spinForever} {
		start := time.Now()
		res := a.Run(context.Background(), &sc)
		if res.State != adapters.Errored || res.Reason != "timed out after 100ms" {
			t.Errorf("got %s %q, want errored: timed out after 100ms", res.State, res.Reason)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v to give up", d)
		}
		// The adapter is usable afterwards.
		ok := async(nil, Observe(Lit(1)))
		if res := a.Run(context.Background(), &ok); res.State != adapters.Completed || len(res.Observations) != 1 {
			t.Errorf("after a time-out: %+v", res)
		}
	}
	waitGoroutines(t, before)
}

func TestContextCancel(t *testing.T) {
	a := interp.New(interp.DefaultOps(), adapters.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res := a.Run(ctx, &growForever)
	if res.State != adapters.Errored || !strings.Contains(res.Reason, "deadline exceeded") {
		t.Errorf("got %s %q", res.State, res.Reason)
	}
	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if res := a.Run(done, &growForever); res.State != adapters.Errored {
		t.Errorf("a done context: got %s %q", res.State, res.Reason)
	}
}

func TestPanicIsErrored(t *testing.T) {
	before := interpGoroutines()
	for _, where := range []string{"plain", "frame"} {
		ops := interp.DefaultOps()
		if where == "plain" {
			ops.AIter = func(reference.Object) (reference.Object, error) { panic("boom in aiter") }
		} else {
			// Inside a coroutine body, on a coroutine stack of its own.
			ops.Await = func(*reference.Frame, reference.Object) (reference.Object, error) { panic("boom in await") }
		}
		a := interp.New(ops, adapters.Options{})
		sc := async(mod(agenDef("g", 1)), Let("it", Call("g")), Do(Await(ANext(Var("it")))), Observe(Call("aiter", Var("it"))))
		res := a.Run(context.Background(), &sc)
		if res.State != adapters.Errored || !strings.Contains(res.Reason, "reference adapter panic: boom in") ||
			!strings.Contains(res.Reason, "robust_test.go") {
			t.Errorf("%s: got %s %q", where, res.State, res.Reason)
		}
		ok := async(nil, Observe(Lit(1)))
		if res := interp.New(interp.DefaultOps(), adapters.Options{}).Run(context.Background(), &ok); res.State != adapters.Completed {
			t.Errorf("after a panic: %+v", res)
		}
	}
	waitGoroutines(t, before)
}

// TestNoGoroutineLeak runs many scenarios that leave frames suspended
// (async generators, coroutines, pending tasks, generators) and checks
// that every goroutine is gone afterwards.
func TestNoGoroutineLeak(t *testing.T) {
	leaky := []Scenario{
		async(mod(agenDef("g", 1, 2, 3)), Let("a", Call("g")), Do(Await(ANext(Var("a")))),
			Let("t", Call("asyncio.create_task", Call("asyncio.sleep", Lit(10)))), Do(Await(Sleep(0)))),
		sync(mod(Def("gen", Yield(Lit(1)), Yield(Lit(2))), agenDef("ag", 1, 2)), Let("s", Call("gen")), Do(Call("next", Var("s"))),
			Let("a", Call("ag")), Try(Do(Method(Method(Var("a"), "__anext__"), "send", Lit(nil)))).Except("StopIteration", "", Pass())),
		async(mod(AsyncDef("c", Do(Await(Sleep(1))))), Let("co", Call("c")), Do(Call("asyncio.gather", Var("co"), Call("c")))),
	}
	a := interp.New(interp.DefaultOps(), adapters.Options{})
	warm := async(nil)
	a.Run(context.Background(), &warm)
	before := interpGoroutines()
	for i := 0; i < 300; i++ {
		sc := leaky[i%len(leaky)]
		if res := a.Run(context.Background(), &sc); res.State != adapters.Completed {
			t.Fatalf("%+v", res)
		}
	}
	waitGoroutines(t, before)
}

func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for interpGoroutines() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := interpGoroutines(); n > before {
		t.Errorf("goroutines leaked: %d before, %d after\n%s", before, n, allStacks())
	}
}

// interpGoroutines counts the goroutines running or parked in the
// interpreter or the reference library. Other goroutines of the test binary
// do not count: the cpython adapter other tests share starts its spare
// harnesses in the background (a cmd.Wait goroutine), whenever it likes.
func interpGoroutines() int {
	n := 0
	for _, g := range strings.Split(allStacks(), "\n\n") {
		if strings.Contains(g, "aiterspec/aiterspec/reference.") || strings.Contains(g, "aiterspec/aiterspec/adapters/interp.") {
			n++
		}
	}
	return n
}

func allStacks() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// A scenario on which CPython would wait forever is errored, as the
// Python harness's time-out makes it, but at once.
func TestDeadlockIsErrored(t *testing.T) {
	sc := async(mod(AsyncDef("f", Do(Await(Var("t2")))), AsyncDef("g", Do(Await(Var("t1"))))),
		Let("t1", Call("asyncio.create_task", Call("f"))), Let("t2", Call("asyncio.create_task", Call("g"))), Do(Await(Var("t1"))))
	res := interp.New(interp.DefaultOps(), adapters.Options{}).Run(context.Background(), &sc)
	if res.State != adapters.Errored || !strings.Contains(res.Reason, "the scenario hangs: event loop deadlock") {
		t.Errorf("got %s %q", res.State, res.Reason)
	}
}

func TestMalformedScenario(t *testing.T) {
	sc := async(nil, Observe(&Expr{Kind: LitExpr}), Do(&Expr{Kind: ComprehensionExpr, Form: ListForm}))
	res := interp.New(interp.DefaultOps(), adapters.Options{}).Run(context.Background(), &sc)
	if res.State != adapters.Errored || !strings.HasPrefix(res.Reason, "malformed scenario") {
		t.Errorf("got %s %q", res.State, res.Reason)
	}
}

func TestDeterministic(t *testing.T) {
	sc := async(mod(AsyncDef("w", Do(Await(Call("asyncio.sleep", Var("d")))), Emit("done", Var("d"))).WithParams("d")),
		Do(Await(Call("asyncio.gather", Call("w", Lit(0.03)), Call("w", Lit(0.01)), Call("w", Lit(0.02)), Call("w", Lit(0))))),
		Observe(Comprehension(SetForm, BinOp(Var("x"), "*", Lit(7)), SyncClause("x", Call("range", Lit(20))))))
	a := interp.New(interp.DefaultOps(), adapters.Options{})
	first := a.Run(context.Background(), &sc)
	for i := 0; i < 20; i++ {
		if res := a.Run(context.Background(), &sc); !reflect.DeepEqual(res, first) {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, res, first)
		}
	}
}

func TestInfo(t *testing.T) {
	a, err := adapters.Open("reference", adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	i := a.Info()
	if i.Name != "reference" || i.Language != "python" || i.LanguageVersion != "3.11" {
		t.Errorf("%+v", i)
	}
	for _, c := range i.Capabilities {
		if c == CapSource {
			t.Errorf("announces source mode")
		}
	}
	if len(i.Capabilities) != len(Capabilities)-1 {
		t.Errorf("capabilities %v, want all but source", i.Capabilities)
	}
	if _, err := adapters.Open("reference:x", adapters.Options{}); err == nil {
		t.Errorf("reference:x opened")
	}
}
