package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group R: concurrency and re-entrancy. A second step of an
// async generator while it is suspended in an await is an error; steps that
// never suspend do not overlap.
var _ = family("R", func() {
	running := func(method string) Observation {
		return Raises("RuntimeError", method+"(): asynchronous generator is already running")
	}
	runningValue := func(method string) Value {
		return VException("RuntimeError", method+"(): asynchronous generator is already running")
	}
	gather := func(aws ...*Expr) *Expr {
		return Call("asyncio.gather", aws...).WithKwarg("return_exceptions", Lit(true))
	}

	// a second step while the generator is suspended in an await is refused
	behaviour("R01", "concurrent anext() on one async generator (second call while first is suspended in await)",
		spec("two anext() gathered on a generator that awaits before yielding: the second raises RuntimeError").
			Needs(CapAsyncGenerators, CapTasks).
			Module(rSlow(0.001, 1, 2)).
			Main(
				Let("g", Call("slow")),
				Observe(Await(gather(ANext(Var("g")), ANext(Var("g"))))),
			).
			Observes(Got(VList(1, runningValue("anext")))),
	)

	behaviour("R02", "asend/athrow/aclose while the generator is running (suspended in await)",
		spec("asend, athrow and aclose on a generator suspended in an await raise RuntimeError; the pending step still completes").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapTasks).
			Module(rSlow(0.001, 1)).
			Main(
				Let("g", Call("slow")),
				Let("t", Call("asyncio.create_task", ANext(Var("g")))),
				Do(Await(Sleep(0))),
				Observe(Await(Method(Var("g"), "asend", Lit(nil)))),
				Observe(Await(Method(Var("g"), "athrow", Var("ValueError")))),
				Observe(Await(Method(Var("g"), "aclose"))),
				Observe(Await(Var("t"))),
			).
			Observes(running("anext"), running("athrow"), running("aclose"), Got(1)),
		spec("ag_running is true while the generator is suspended in an await").
			Needs(CapAsyncGenerators, CapTasks, CapIntrospection).
			Module(rSlow(0.001, 1)).
			Main(
				Let("g", Call("slow")),
				Let("t", Call("asyncio.create_task", ANext(Var("g")))),
				Do(Await(Sleep(0))),
				Observe(Attr(Var("g"), "ag_running")),
				Observe(Await(Var("t"))),
			).
			Observes(Got(true), Got(1)),
	)

	behaviour("R04", "concurrent anext(g, default) on a running generator",
		spec("anext(g, default) does not turn the already-running RuntimeError into the default").
			Needs(CapAsyncGenerators, CapANextBuiltin, CapTasks).
			Module(rSlow(0.001, 1)).
			Main(
				Let("g", Call("slow")),
				Observe(Await(gather(ANext(Var("g"), Lit("D")), ANext(Var("g"), Lit("D"))))),
			).
			Observes(Got(VList(1, runningValue("anext")))),
	)

	behaviour("R05", "the generator calling anext() on itself",
		spec("an async generator awaiting anext() on itself raises RuntimeError").
			Needs(CapAsyncGenerators).
			Module(
				Let("me", Lit(nil)),
				AsyncDef("g", Yield(Await(ANext(Var("me"))))),
			).
			Main(
				Let("me", Call("g")),
				Observe(Await(ANext(Var("me")))),
			).
			Observes(running("anext")),
	)

	// steps that never suspend do not overlap
	behaviour("R03", "concurrent anext() on a generator that does NOT await between yields: no error (each call completes synchronously)",
		spec("two anext() gathered on a generator that never awaits give both values in order").
			Needs(CapAsyncGenerators, CapTasks).
			Module(agen("agen", 1, 2)).
			Main(
				Let("g", Call("agen")),
				Observe(Await(Call("asyncio.gather", ANext(Var("g")), ANext(Var("g"))))),
			).
			Observes(Got(VList(1, 2))),
	)
})

// rSlow is the catalogue's `async def slow()`: await asyncio.sleep(delay)
// once, then yield the values. Any delay above zero keeps the generator
// suspended in its await while the rest of the scenario acts: the timer
// cannot fire before the loop's current round of ready callbacks ends, and
// the scenarios act within it. So the delay is 1 ms, the shortest that costs
// nothing and still sets a timer.
func rSlow(delay float64, values ...any) Stmt {
	return AsyncDef("slow", Do(Await(Sleep(delay))), YieldEach(values...))
}
