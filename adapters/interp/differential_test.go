package interp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	. "github.com/aiterspec/aiterspec/scenario"
)

// TestDifferentialAgainstCPython runs random programs that drive async
// generators through every protocol operation (anext with and without
// default, asend, athrow, aclose, async for with break, gather,
// create_task, cancellation, del and gc.collect, driving by hand in sync
// mode) on the reference and on CPython, and requires the same
// observations. It skips when python3 3.11 is not available.
func TestDifferentialAgainstCPython(t *testing.T) {
	py := cpython(t)
	if py == nil {
		t.Skip("python3 3.11 not available")
	}
	n := 400
	if testing.Short() {
		n = 60
	}
	ref := interp.New(interp.DefaultOps(), adapters.Options{ScenarioTimeout: 5 * time.Second})
	r := rand.New(rand.NewSource(3))
	failures := 0
	for i := 0; i < n; i++ {
		g := &progGen{r: r}
		sc := g.scenario()
		want := py.Run(context.Background(), &sc)
		got := ref.Run(context.Background(), &sc)
		if want.State == got.State && (want.State != adapters.Completed || Matches(want.Observations, got.Observations, ExactMessages)) {
			continue
		}
		failures++
		if failures <= 5 {
			data, _ := json.Marshal(&sc)
			t.Errorf("program %d: cpython %s %s, reference %s %s\n%s\n%s", i, want.State, want.Reason, got.State, got.Reason,
				SideBySide(want.Observations, got.Observations, ExactMessages), data)
		}
	}
	if failures > 5 {
		t.Errorf("... %d programs differ in all", failures)
	}
}

// progGen makes random terminating programs around async generators.
type progGen struct {
	r     *rand.Rand
	nEmit int
	// gathered names the generators an asyncio.gather stepped: CPython
	// keeps them alive for a while afterwards through the finished tasks
	// (how long depends on asyncio's internal references), so the
	// program does not time their finalisation.
	gathered map[string]bool
}

func (g *progGen) pick(n int) int { return g.r.Intn(n) }

func (g *progGen) emit() Stmt {
	g.nEmit++
	return Emit(fmt.Sprint("e", g.nEmit))
}

func (g *progGen) lit() *Expr {
	return Lit([]any{1, "a", nil, 2.5, true}[g.pick(5)])
}

func (g *progGen) exc() *Expr {
	switch g.pick(5) {
	case 0:
		return Var("ValueError")
	case 1:
		return Exc("KeyError", "k")
	case 2:
		return Var("StopAsyncIteration")
	case 3:
		return Var("GeneratorExit")
	}
	return Exc("ValueError", "v")
}

// agenBody is the body of an async generator: yields, awaits, emits,
// raises and returns, under try statements.
func (g *progGen) agenBody(depth int) []Stmt {
	var out []Stmt
	for i := 1 + g.pick(4); i > 0; i-- {
		out = append(out, g.agenStmt(depth))
	}
	return out
}

func (g *progGen) agenStmt(depth int) Stmt {
	switch k := g.pick(14); {
	case k < 4:
		return Yield(g.lit())
	case k == 4:
		return Emit("sent", YieldValue(g.lit()))
	case k == 5:
		return Do(Await(Sleep(0)))
	case k == 6:
		return g.emit()
	case k == 7 && depth > 0:
		return Raise(g.exc())
	case k == 8 && depth > 0:
		return Return()
	case k == 9:
		return For("i", Call("range", Lit(2)), Yield(Var("i")))
	case k >= 10 && depth < 2:
		t := Try(g.agenBody(depth + 1)...)
		for j := g.pick(3); j > 0; j-- {
			typ := []string{"", "ValueError", "GeneratorExit", "BaseException", "KeyError"}[g.pick(5)]
			body := []Stmt{Emit("caught", Var("e"))}
			switch g.pick(4) {
			case 0:
				body = append(body, Raise())
			case 1:
				body = append(body, Yield(Lit("h")))
			case 2:
				body = append(body, Return())
			}
			t = t.Except(typ, "e", body...)
		}
		if len(t.Handlers) == 0 || g.pick(2) == 0 {
			fin := []Stmt{g.emit()}
			if g.pick(3) == 0 {
				fin = append(fin, Do(Await(Sleep(0))), g.emit())
			}
			t = t.WithFinally(fin...)
		}
		return t
	}
	return g.emit()
}

// iterClass is a class-based async iterator whose __anext__ (a
// coroutine, or a plain def returning one, a future or a bad value)
// differs per call.
func (g *progGen) iterClass() Stmt {
	var calls [][]Stmt
	for i := 1 + g.pick(3); i > 0; i-- {
		var body []Stmt
		switch g.pick(5) {
		case 0:
			body = []Stmt{Do(Await(Sleep(0))), Return(g.lit())}
		case 1:
			body = []Stmt{g.emit(), Raise(g.exc())}
		case 2:
			body = []Stmt{Return(Await(ANext(Call("ag"), Lit("D"))))}
		default:
			body = []Stmt{Return(g.lit())}
		}
		calls = append(calls, body)
	}
	next := AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall(calls...)
	if g.pick(3) == 0 {
		next = Def("__anext__", Return(Method(Self(), "step"))).PerCall([]Stmt{Return(FutureResult(g.lit()))}, []Stmt{Return(g.lit())})
	}
	return Class("It", Def("__aiter__", g.emit(), Return(Self())), next,
		AsyncDef("step", Do(Await(Sleep(0))), Raise(Var("StopAsyncIteration"))))
}

func (g *progGen) scenario() Scenario {
	module := []Stmt{AsyncDef("ag", g.agenBody(0)...), AsyncDef("bg", g.agenBody(0)...), g.iterClass()}
	sc := Scenario{ID: "DIFF", Module: module, Report: []string{ReportWarnings, ReportUnraisable}}
	if g.pick(6) == 0 {
		sc.Mode = SyncMode
		sc.Main = []Stmt{Let("g", Call("ag"))}
		for i := 2 + g.pick(5); i > 0; i-- {
			sc.Main = append(sc.Main, g.syncOp())
		}
		// Drop everything while recording: what finalisers do after the run
		// is not observed (FORMAT.md), though the Python harness records
		// what happens when it clears the namespace.
		sc.Main = append(sc.Main, Del("g"), Do(Call("gc.collect")))
		return sc
	}
	sc.Main = []Stmt{Let("g", Call([]string{"ag", "bg"}[g.pick(2)])), Let("h", Call("bg"))}
	for i := 2 + g.pick(7); i > 0; i-- {
		sc.Main = append(sc.Main, g.asyncOp())
	}
	sc.Main = append(sc.Main, Do(Await(Sleep(0))), Del("g"), Del("h"), Del("t"), Do(Call("gc.collect")), Do(Await(Sleep(0))), Do(Await(Sleep(0))))
	return sc
}

func (g *progGen) target() *Expr { return Var([]string{"g", "g", "h"}[g.pick(3)]) }

func (g *progGen) asyncOp() Stmt {
	it := g.target()
	switch g.pick(16) {
	case 0, 1, 2:
		return Observe(Await(ANext(it)))
	case 3:
		return Observe(Await(ANext(it, Lit("D"))))
	case 4:
		return Observe(Await(Method(it, "asend", g.lit())))
	case 5:
		return Observe(Await(Method(it, "athrow", g.exc())))
	case 6:
		return Observe(Await(Method(it, "aclose")))
	case 7:
		return AsyncFor("x", it, Observe(Var("x")), If(BinOp(Var("x"), "==", Lit(1)), Break())).WithElse(Emit("exhausted"))
	case 8:
		if g.gathered == nil {
			g.gathered = map[string]bool{}
		}
		g.gathered[it.Name] = true
		return Observe(Await(Call("asyncio.gather", ANext(it), ANext(it)).WithKwarg("return_exceptions", Lit(true))))
	case 9:
		return Try(
			Let("t", Call("asyncio.create_task", ANext(it))),
			Do(Await(Sleep(0))),
			If(g.lit(), Do(Method(Var("t"), "cancel"))),
			Observe(Await(Var("t"))),
		).Except("BaseException", "err", Observe(Var("err")))
	case 10:
		if g.pick(2) == 0 {
			return Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("It"))))
		}
		return Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", it)))
	case 11:
		return Observe(Attr(it, "ag_running"))
	case 12:
		name := it.Name
		if g.gathered[name] {
			return g.emit()
		}
		return Try(Del(name), Do(Call("gc.collect")), Do(Await(Sleep(0))), Do(Await(Sleep(0))), Emit("collected"),
			Let(name, Call("bg"))).Except("BaseException", "err", Observe(Var("err")))
	case 13:
		if g.pick(2) == 0 {
			return Do(Await(Sleep(0)))
		}
		return AsyncFor("x", Call("It"), Observe(Var("x"))).WithElse(Emit("exhausted"))
	case 14:
		return Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Comprehension(GenexpForm, BinOp(Var("y"), "==", Lit(1)), AsyncClause("y", it)))))
	}
	return g.emit()
}

func (g *progGen) syncOp() Stmt {
	step := Method(Method(Var("g"), []string{"__anext__", "aclose"}[g.pick(2)]), "send", Lit(nil))
	switch g.pick(6) {
	case 0, 1, 2:
		return Try(Observe(step)).Except("StopIteration", "e", Observe(Attr(Var("e"), "value")))
	case 3:
		return Try(Observe(Method(Method(Var("g"), "athrow", g.exc()), "send", Lit(nil)))).
			Except("StopIteration", "e", Observe(Attr(Var("e"), "value")))
	case 4:
		return Try(Del("g"), Do(Call("gc.collect")), Emit("collected"), Let("g", Call("ag"))).Except("BaseException", "err", Observe(Var("err")))
	}
	return g.emit()
}
