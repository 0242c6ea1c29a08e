package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group L: aclose(), finalisation of abandoned generators, and
// what is left after closing.
var _ = family("L", func() {
	ignored := Raises("RuntimeError", "async generator ignored GeneratorExit")
	stopped := Raises("StopAsyncIteration", "")
	aclose := func(it string) *Expr { return Await(Method(Var(it), "aclose")) }
	step := func(it string) *Expr { return Await(ANext(Var(it))) }
	// lTryYield1 is `async def g(): try: yield 1` with the given handlers
	// and finally block.
	lTryYield1 := func(t Stmt) Stmt { return AsyncDef("g", t) }

	// aclose() on a generator that has not started or is suspended
	behaviour("L01", "aclose() on a never-started generator: returns None, body (and finally) never runs, later anext -> StopAsyncIteration",
		spec("aclose() on a never-started generator returns None without running the body; anext() then raises StopAsyncIteration").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(lTryYield1(Try(Yield(Lit(1))).WithFinally(Emit("finally ran")))).
			Main(Let("it", Call("g")), Observe(aclose("it")), Observe(step("it"))).
			Observes(Got(nil), stopped),
	)

	behaviour("L02", "aclose() on a suspended generator: GeneratorExit is raised at the yield, finally runs",
		spec("aclose() on a suspended generator raises GeneratorExit at the yield and runs finally; anext() then raises StopAsyncIteration").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(lTryYield1(Try(Yield(Lit(1))).
				Except("GeneratorExit", "e", Emit("got", Var("e")), Raise()).
				WithFinally(Emit("finally ran")))).
			Main(Let("it", Call("g")), Do(step("it")), Observe(aclose("it")), Observe(step("it"))).
			Observes(Event("got", VException("GeneratorExit", "")), Event("finally ran"), Got(nil), stopped),
	)

	behaviour("L05", "await inside finally during aclose() is allowed",
		spec("an await in finally during aclose() is allowed and completes").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(lTryYield1(Try(Yield(Lit(1))).WithFinally(
				Do(Await(Sleep(0))),
				Emit("async cleanup done"),
			))).
			Main(Let("it", Call("g")), Do(step("it")), Observe(aclose("it"))).
			Observes(Event("async cleanup done"), Got(nil)),
		spec("a finally with two awaits during aclose() runs to its end; the rest of the try and the code after it never run").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(AsyncDef("gen",
				Try(Yield(Lit(1)), Emit("after the yield (not reached)")).
					WithFinally(Do(Await(Sleep(0))), Do(Await(Sleep(0))), Emit("finally done")),
				Emit("after the try (not reached)"),
			)).
			Main(Let("it", Call("gen")), Do(step("it")), Observe(aclose("it"))).
			Observes(Event("finally done"), Got(nil)),
		spec("a finally during aclose() may await a Task the generator started, and catch the Task's exception").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapTasks).
			Module(
				AsyncDef("target", Do(Await(Sleep(0))), Raise(Exc("ValueError", "task failed"))),
				AsyncDef("gen",
					Let("task", Call("asyncio.create_task", Call("target"))),
					Try(Yield(Lit(1))).WithFinally(
						Try(Do(Await(Var("task")))).Except("ValueError", "e", Emit("caught from the task", Var("e"))),
					),
				),
			).
			Main(Let("it", Call("gen")), Do(step("it")), Observe(aclose("it"))).
			Observes(Event("caught from the task", VException("ValueError", "task failed")), Got(nil)),
	)

	behaviour("L08", "generator swallows GeneratorExit and returns normally during aclose(): fine",
		spec("a generator that catches GeneratorExit and returns lets aclose() return None").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(lTryYield1(Try(Yield(Lit(1))).Except("GeneratorExit", "", Return()))).
			Main(Let("it", Call("g")), Do(step("it")), Observe(aclose("it"))).
			Observes(Got(nil)),
	)

	// yielding while handling aclose() is an error
	behaviour("L03", "generator catches GeneratorExit and yields again during aclose()",
		spec("a generator that catches GeneratorExit and yields again makes aclose() raise RuntimeError").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(lTryYield1(Try(Yield(Lit(1))).Except("GeneratorExit", "", Yield(Lit(2))))).
			Main(Let("it", Call("g")), Do(step("it")), Observe(aclose("it"))).
			Observes(ignored),
	)

	behaviour("L04", "yield inside finally during aclose()",
		spec("a yield in finally during aclose() makes aclose() raise RuntimeError").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(lTryYield1(Try(Yield(Lit(1))).WithFinally(Yield(Lit("cleanup"))))).
			Main(Let("it", Call("g")), Do(step("it")), Observe(aclose("it"))).
			Observes(ignored),
	)

	// a closed generator stays closed
	behaviour("L07", "aclose() twice, and aclose() on an exhausted generator: both no-ops returning None",
		spec("aclose() twice on a suspended generator returns None both times").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(agen("agen", 1)).
			Main(Let("it", Call("agen")), Do(step("it")), Observe(aclose("it")), Observe(aclose("it"))).
			Observes(Got(nil), Got(nil)),
		spec("aclose() on an exhausted generator returns None").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(agen("agen")).
			Main(Let("e", Call("agen")), drain(Var("e")), Observe(aclose("e"))).
			Observes(Got(nil)),
	)

	behaviour("L09", "asend()/athrow() after aclose()",
		spec("after aclose(), asend(None) raises StopAsyncIteration, athrow() returns None and anext(g, 'D') gives 'D'").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(agen("agen", 1, 2)).
			Main(
				Let("it", Call("agen")),
				Do(step("it")),
				Do(aclose("it")),
				Observe(Await(Method(Var("it"), "asend", Lit(nil)))),
				Observe(Await(Method(Var("it"), "athrow", Exc("ValueError", "v")))),
				Observe(Await(ANext(Var("it"), Lit("D")))),
			).
			Observes(stopped, Got(nil), Got("D")),
	)

	behaviour("L12", "closing an async generator synchronously is not possible: there is no close()",
		spec("an async generator has aclose, athrow and asend but no close, throw or send").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Sync().
			Module(agen("agen")).
			Main(
				Let("g", Call("agen")),
				Observe(Call("hasattr", Var("g"), Lit("close"))),
				Observe(Call("hasattr", Var("g"), Lit("aclose"))),
				Observe(Call("hasattr", Var("g"), Lit("throw"))),
				Observe(Call("hasattr", Var("g"), Lit("athrow"))),
				Observe(Call("hasattr", Var("g"), Lit("send"))),
				Observe(Call("hasattr", Var("g"), Lit("asend"))),
			).
			Observes(Got(false), Got(true), Got(false), Got(true), Got(false), Got(true)),
	)

	// an abandoned generator is finalised
	behaviour("L13", "abandoned, partially consumed generator garbage-collected while the loop runs: asyncio's finalizer hook schedules aclose()",
		spec("a partly consumed generator collected while the loop runs is closed by the loop's finalizer hook on the second loop turn").
			Needs(CapAsyncGenerators, CapDeterministicCollect).
			AsDetail().
			Module(AsyncDef("g", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("finally ran (via loop finalizer)")))).
			Main(
				Let("it", Call("g")),
				Do(step("it")),
				Del("it"),
				Do(Call("gc.collect")),
				Emit("after gc"),
				Do(Await(Sleep(0))),
				Emit("after 1st loop turn"),
				Do(Await(Sleep(0))),
				Emit("after 2nd loop turn"),
			).
			Observes(Event("after gc"), Event("after 1st loop turn"), Event("finally ran (via loop finalizer)"), Event("after 2nd loop turn")),
		spec("the loop finalizer's aclose() of a collected generator runs a finally that awaits to its end, a loop turn later").
			Needs(CapAsyncGenerators, CapDeterministicCollect).
			AsDetail().
			Module(AsyncDef("gen", Try(For("_", Call("range", Lit(10)), Yield(Lit(1)))).
				WithFinally(Do(Await(Sleep(0))), Emit("finally done")))).
			Main(
				Let("it", Call("gen")),
				Do(step("it")), Do(step("it")),
				Del("it"),
				Do(Call("gc.collect")),
				Emit("collected"),
				Do(Await(Sleep(0))), Emit("turn 1"),
				Do(Await(Sleep(0))), Emit("turn 2"),
				Do(Await(Sleep(0))), Emit("turn 3"),
			).
			Observes(Event("collected"), Event("turn 1"), Event("turn 2"), Event("finally done"), Event("turn 3")),
	)

	behaviour("L16", "a generator still suspended when main returns is closed by asyncio.run (loop.shutdown_asyncgens): its finally runs after main, the loop's exception handler is not called, and the generator is finished once asyncio.run returns",
		// Names bound in main are globals, so the generator is still
		// alive when main returns: the loop's shutdown_asyncgens closes it,
		// not the finalizer hook.
		spec("a generator stepped once and kept in a global is closed after main returns; its finally is observed last").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("finally ran at shutdown")))).
			Main(Let("it", Call("g")), Observe(step("it")), Emit("main returns")).
			Observes(Got(1), Event("main returns"), Event("finally ran at shutdown")),
		spec("a generator left suspended by break in async for is closed after main returns, and its finally may await").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(
				Do(Await(Sleep(0))), Emit("finally ran at shutdown")))).
			Main(Let("it", Call("g")), AsyncFor("x", Var("it"), Observe(Var("x")), Break()), Emit("main returns")).
			Observes(Got(1), Event("main returns"), Event("finally ran at shutdown")),
		spec("the loop's exception handler is not called, and stepped by hand after asyncio.run returns the generator raises StopAsyncIteration").
			Needs(CapAsyncGenerators).
			Report(ReportLoopExceptions).
			Module(AsyncDef("left", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("finally ran")))).
			Main(Let("it", Call("left")), AsyncFor("i", Var("it"), Break()), Emit("main ends")).
			After(stepBy(Method(Var("it"), "__anext__"), "send", Lit(nil))).
			Observes(Event("main ends"), Event("finally ran"), Raises("StopAsyncIteration", "")),
		spec("a generator main dropped after break is closed during asyncio.run too (its finalizer's aclose() task), with no call of the loop's exception handler").
			Needs(CapAsyncGenerators).
			Report(ReportLoopExceptions).
			Module(AsyncDef("left", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("finally ran")))).
			Main(AsyncFor("i", Call("left"), Break()), Emit("main ends")).
			After(Emit("after asyncio.run")).
			Observes(Event("main ends"), Event("finally ran"), Event("after asyncio.run")),
	)

	behaviour("L14", "abandoned generator GC'd with no event loop hooks: finalized synchronously like a sync generator; an await in finally fails",
		spec("a generator collected with no event loop is closed at once; an await in its finally makes the close fail as ignored GeneratorExit").
			Needs(CapAsyncGenerators, CapDeterministicCollect).
			AsDetail().
			Sync().
			Report(ReportUnraisable).
			Module(AsyncDef("g", Try(Yield(Lit(1))).WithFinally(
				Emit("finally entered"),
				Do(Await(Sleep(0))),
				Emit("never printed"),
			))).
			Main(
				Let("it", Call("g")),
				Try(Do(Method(Method(Var("it"), "__anext__"), "send", Lit(nil)))).
					Except("StopIteration", "e", Emit("got", Attr(Var("e"), "value"))),
				Del("it"),
				Do(Call("gc.collect")),
				Emit("end"),
			).
			Observes(
				Event("got", 1),
				Event("finally entered"),
				Event("unraisable", VException("RuntimeError", "async generator ignored GeneratorExit")),
				Event("end"),
			),
	)
})
