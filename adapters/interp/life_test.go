package interp_test

import (
	"testing"

	. "github.com/aiterspec/aiterspec/scenario"
)

// When objects are finalised: CPython's reference counting finalises at
// once, and the interpreter's collections must agree.

func TestFinalisation(t *testing.T) {
	coro := AsyncDef("coro", Return(Lit(1)))
	never := Event("warning", "RuntimeWarning: coroutine 'coro' was never awaited")
	gen := Def("gen", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("gen finally")))
	agen := AsyncDef("agen", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("agen finally")))
	warn := func(s Scenario) Scenario { return withReport(s, ReportWarnings) }
	run(t, []tcase{
		{name: "a coroutine dropped at once warns at once", sc: warn(async(mod(coro), Do(Call("coro")), Emit("next"))),
			want: obs(never, Event("next"))},
		{name: "rebinding the last reference", sc: warn(async(mod(coro), Let("c", Call("coro")), Emit("made"), Let("c", Lit(1)), Emit("rebound"))),
			want: obs(Event("made"), never, Event("rebound"))},
		{name: "a second reference keeps it alive", sc: warn(async(mod(coro), Let("c", Call("coro")), Let("d", Var("c")), Del("c"), Emit("one left"),
			Observe(Await(Var("d"))))),
			want: obs(Event("one left"), Got(1))},
		{name: "a function's locals die when it returns", sc: warn(async(mod(coro, Def("f", Let("c", Call("coro")), Emit("in f"))), Do(Call("f")), Emit("after"))),
			want: obs(Event("in f"), never, Event("after"))},
		{name: "a returned object lives on", sc: warn(async(mod(coro, Def("f", Let("c", Call("coro")), Return(Var("c")))), Let("c", Call("f")), Emit("returned"),
			Observe(Await(Var("c"))))),
			want: obs(Event("returned"), Got(1))},
		{name: "items of a list die with it", sc: warn(async(mod(coro), Let("l", ListOf(Call("coro"), Lit(2))), Emit("made"), Del("l"), Emit("deleted"))),
			want: obs(Event("made"), never, Event("deleted"))},
		{name: "an instance attribute dies with the instance", sc: warn(async(mod(coro, Class("Box", Pass())), Let("b", Call("Box")),
			SetAttr(Var("b"), "c", Call("coro")), Emit("stored"), Del("b"), Emit("deleted"))),
			want: obs(Event("stored"), never, Event("deleted"))},
		{name: "a suspended generator is closed when dropped", sc: sync(mod(gen), Let("g", Call("gen")), Observe(Call("next", Var("g"))),
			Del("g"), Emit("deleted")),
			want: obs(Got(1), Event("gen finally"), Event("deleted"))},
		{name: "a generator driven by a for loop over a temporary is closed when the loop breaks", sc: sync(mod(gen),
			For("x", Call("gen"), Emit("x", Var("x")), Break()), Emit("after loop")),
			want: obs(Event("x", 1), Event("gen finally"), Event("after loop"))},
		{name: "a generator that an exception in the loop body abandons is closed", sc: sync(mod(gen),
			For("x", Call("gen"), Raise(Exc("ValueError", "body"))), Emit("after loop")),
			want: obs(Event("gen finally"), Raises("ValueError", "body"), Event("after loop"))},
		{name: "an async generator abandoned by break is closed by the loop's finalizer", sc: async(mod(agen),
			AsyncFor("x", Call("agen"), Break()), Emit("after loop"), Do(Await(Sleep(0))), Emit("turn 1"), Do(Await(Sleep(0))), Emit("turn 2")),
			want: obs(Event("after loop"), Event("turn 1"), Event("agen finally"), Event("turn 2"))},
		{name: "an async generator abandoned without a loop is closed at once", sc: sync(mod(agen), Let("g", Call("agen")),
			Try(Do(Method(Method(Var("g"), "__anext__"), "send", Lit(nil)))).Except("StopIteration", "", Pass()),
			Del("g"), Emit("deleted")),
			want: obs(Event("agen finally"), Event("deleted"))},
		{name: "alive async generators are closed by asyncio.run's shutdown", sc: async(mod(agen), Let("g", Call("agen")), Observe(Await(ANext(Var("g")))),
			Emit("main ends")),
			want: obs(Got(1), Event("main ends"), Event("agen finally"))},
		{name: "a coroutine a task drives is not finalised when its name goes", sc: warn(async(mod(AsyncDef("slow", Do(Await(Sleep(0.01))), Emit("slow done"))),
			Let("c", Call("slow")), Let("t", Call("asyncio.create_task", Var("c"))), Del("c"), Do(Await(Var("t"))), Emit("after"))),
			want: obs(Event("slow done"), Event("after"))},
		{name: "an awaited temporary coroutine is not finalised early", sc: warn(async(mod(AsyncDef("inner", Let("x", Lit(1)), Del("x"),
			Do(Await(Sleep(0))), Return(Lit("in"))), AsyncDef("outer", Return(Await(Call("inner"))))),
			Observe(Await(Call("outer"))))),
			want: obs(Got("in"))},
		{name: "coroutines in a comprehension's result survive collections during it", sc: warn(async(mod(coro,
			Def("mk", Let("t", ListOf()), Del("t"), Return(Call("coro")))),
			Let("cs", Comprehension(ListForm, Call("mk"), SyncClause("i", Call("range", Lit(3))))),
			Emit("made"), Observe(Call("len", Var("cs"))), Do(Call("gc.collect")), Emit("collected"), Del("cs"))),
			want: obs(Event("made"), Got(3), Event("collected"), never, never, never)},
		// FORMAT.md: recording ends when asyncio.run returns. (The Python
		// harness also records what finalisers do while it clears the
		// scenario's namespace afterwards: here, three warnings.)
		{name: "finalisers that run after asyncio.run returns are not observed", sc: warn(async(mod(coro),
			Let("cs", ListOf(Call("coro"), Call("coro"))), Emit("end"))),
			want: obs(Event("end")), notCPython: true},
		{name: "an exception's arguments keep objects alive", sc: warn(async(mod(coro), Try(Raise(Call("ValueError", Call("coro")))).Except("ValueError", "e",
			Let("kept", Var("e"))), Emit("handled"), Del("kept"), Emit("deleted"))),
			want: obs(Event("handled"), never, Event("deleted"))},
		{name: "a traceback keeps the raising function's locals alive until the exception goes", sc: warn(async(mod(coro,
			Def("f", Let("c", Call("coro")), Raise(Var("ValueError"))), AsyncDef("af", Let("c", Call("coro")), Raise(Var("KeyError")))),
			Do(Call("f")), Emit("next"), Try(Do(Await(Call("af")))).Except("KeyError", "", Emit("handled")), Emit("after"))),
			want: obs(Raises("ValueError", ""), never, Event("next"), Event("handled"), never, Event("after"))},
		{name: "a closure keeps its cell alive", sc: warn(async(mod(coro, Def("mk", Let("c", Call("coro")), Return(Lambda(Var("c"))))),
			Let("f", Call("mk")), Emit("made"), Del("f"), Emit("deleted"))),
			want: obs(Event("made"), never, Event("deleted"))},
		// Found by differential search: CPython finalises only the
		// generator whose last reference went; its finalizer hook
		// resurrects it (the scheduled aclose() holds it), so what its
		// suspended frame holds lives on until that aclose() runs.
		{name: "a dropped async generator's frame keeps the generator its async for steps alive until aclose() runs", sc: async(mod(agen,
			AsyncDef("outer", AsyncFor("x", Call("agen"), Yield(Var("x"))))),
			Do(Await(Method(Call("outer"), "__anext__"))), Emit("dropped"),
			Do(Await(Sleep(0))), Emit("turn 1"), Do(Await(Sleep(0))), Emit("turn 2"), Do(Await(Sleep(0))), Emit("turn 3"),
			Do(Await(Sleep(0))), Emit("turn 4")),
			want: obs(Event("dropped"), Event("turn 1"), Event("turn 2"), Event("turn 3"), Event("agen finally"), Event("turn 4"))},
		// Found by differential search: an exception leaving a loop
		// releases the loop's iterator at once, before the finally blocks
		// around the loop run; a finaliser that runs while another runs
		// does so at once too.
		{name: "closing a generator releases the async for iterator it is suspended in before its finally runs", sc: sync(mod(agen,
			AsyncDef("outer", Try(AsyncFor("x", Call("agen"), Yield(Var("x")))).WithFinally(Emit("outer finally")))),
			Let("g", Call("outer")),
			Try(Do(Method(Method(Var("g"), "__anext__"), "send", Lit(nil)))).Except("StopIteration", "", Emit("stepped")),
			Let("g", Lit(nil)), Emit("dropped")),
			want: obs(Event("stepped"), Event("agen finally"), Event("outer finally"), Event("dropped"))},
		// Found by differential search: a call releases the object whose
		// method it called (and its arguments) as soon as it returns, not
		// when the statement ends.
		{name: "the receiver of a method call dies when the call returns", sc: warn(sync(mod(
			AsyncDef("agen", Try(Do(Await(Sleep(0)))).Except("GeneratorExit", "", Emit("agen caught GeneratorExit")), Yield(Lit(1))),
			AsyncDef("coro", Return(Await(ANext(Call("agen")))))),
			Observe(Method(Call("coro"), "send", Lit(nil))), Emit("next"))),
			want: obs(Event("agen caught GeneratorExit"), Got(nil), Event("next"))},
		{name: "the asend awaitable keeps its generator alive", sc: async(mod(agen), Let("g", Call("agen")), Do(Await(ANext(Var("g")))),
			Let("aw", Method(Var("g"), "asend", Lit(nil))), Del("g"), Emit("name gone"), Observe(Await(Var("aw")))),
			want: obs(Event("name gone"), Got(2), Event("agen finally"))},
	})
}
