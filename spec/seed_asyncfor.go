package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// The seed tutorial's second part: async for versus for.
var _ = family("SEED", func() {
	notIterable := Raises("TypeError", "'async_generator' object is not iterable")

	// a plain for rejects an async generator
	behaviour("SEED-SYNC-FOR-REJECT", "a plain for over an async generator: `TypeError: 'async_generator' object is not iterable`",
		spec("for i in get_evens(10) raises TypeError before any value").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(For("i", Call("get_evens", Lit(10)), Observe(Var("i")))).
			Observes(notIterable),
		spec("list() and iter() reject an async generator the same way").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(Do(Call("list", Call("get_evens", Lit(10)))), Do(Call("iter", Call("get_evens", Lit(10))))).
			Observes(notIterable, notIterable),
		spec("the rejection does not depend on an event loop").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Sync().
			Main(For("i", Call("get_evens", Lit(10)), Observe(Var("i")))).
			Observes(notIterable),
		spec("a for that fails leaves the generator unstarted").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(10))),
				For("i", Var("evens"), Observe(Var("i"))),
				Observe(Await(ANext(Var("evens")))),
			).
			Observes(notIterable, Got(0)),
	)

	// async for gives every value in order and ends silently
	behaviour("SEED-ASYNC-FOR", "`async for` over an async generator gives every value in order and ends silently",
		spec("async for over get_evens(10) gives 0 2 4 6 8").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(drain(Call("get_evens", Lit(10)))).
			Observes(gotAll(0, 2, 4, 6, 8)...),
		spec("async for over get_odds(10) gives 1 3 5 7 9").
			Needs(CapAsyncGenerators).
			Module(getOdds).
			Main(drain(Call("get_odds", Lit(10)))).
			Observes(gotAll(1, 3, 5, 7, 9)...),
		spec("the statement after the loop runs: the end is not an error").
			Needs(CapAsyncGenerators).
			Module(getOdds).
			Main(
				Let("total", Lit(0)),
				AsyncFor("i", Call("get_odds", Lit(10)), Let("total", BinOp(Var("total"), "+", Var("i")))),
				Observe(Var("total")),
			).
			Observes(Got(25)),
		spec("async for over an empty generator runs the body zero times").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(drain(Call("get_evens", Lit(0))), Emit("after")).
			Observes(Event("after")),
		spec("async for inside an async generator's consumer that is itself an async generator").
			Needs(CapAsyncGenerators).
			Module(getEvens, AsyncDef("doubled",
				AsyncFor("i", Call("get_evens", Lit(6)), Yield(BinOp(Var("i"), "*", Lit(2)))))).
			Main(drain(Call("doubled"))).
			Observes(gotAll(0, 4, 8)...),
	)

	outside := Raises("SyntaxError", "'async for' outside async function")
	// async for outside an async function is a SyntaxError
	behaviour("SEED-ASYNC-FOR-OUTSIDE", "`async for` outside an async function: `SyntaxError: 'async for' outside async function`",
		spec("async for at module level does not compile").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncFor("i", Call("get_evens", Lit(10)), Do(Call("print", Var("i"))))))).
			Observes(outside.AtLine(1)),
		spec("async for inside a plain def does not compile").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", AsyncFor("i", Var("y"), Pass()))))).
			Observes(outside.AtLine(2)),
		spec("a plain def nested in an async def does not inherit async").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("outer", Def("inner", Pass(), AsyncFor("i", Var("y"), Pass())))))).
			Observes(outside.AtLine(4)),
		spec("the same loop inside an async def compiles").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("main", AsyncFor("i", Call("get_evens", Lit(10)), Do(Call("print", Var("i")))))))).
			Observes(Got(VObject("code"))),
		spec("the tutorial's program with a module-level async for fails to compile").
			Source(z04Program).
			Observes(outside.AtLine(6)),
	)

	// async for is sequential, not parallel
	behaviour("SEED-SEQUENTIAL", "`async for` is sequential: `__anext__` for item k+1 starts only after the body for item k finished",
		spec("__anext__ for item k+1 starts after the body for item k ends, both awaiting").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("produce",
				For("i", TupleOf(Lit(0), Lit(1), Lit(2)),
					Emit("anext starts", Var("i")),
					Do(Await(Sleep(0))),
					Emit("anext ends", Var("i")),
					Yield(Var("i")))),
			).
			Main(AsyncFor("x", Call("produce"),
				Emit("body starts", Var("x")),
				Do(Await(Sleep(0))),
				Emit("body ends", Var("x")))).
			Observes(
				Event("anext starts", 0), Event("anext ends", 0), Event("body starts", 0), Event("body ends", 0),
				Event("anext starts", 1), Event("anext ends", 1), Event("body starts", 1), Event("body ends", 1),
				Event("anext starts", 2), Event("anext ends", 2), Event("body starts", 2), Event("body ends", 2),
			),
		spec("a class-based iterator is not asked for the next item while the body sleeps").
			Needs(CapTasks).
			Module(Class("Slow",
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__", Emit("anext starts"), Raise(Var("StopAsyncIteration"))).
					PerCall(slowItem, slowItem),
			)).
			Main(
				Let("ticker", Call("asyncio.create_task", Call("tick"))),
				AsyncFor("x", Call("Slow"),
					Emit("body starts"),
					// Longer than tick's sleep, which started first: the
					// other task's timer fires while the body sleeps.
					Do(Await(Sleep(0.002))),
					Emit("body ends")),
				Do(Await(Var("ticker"))),
			).
			Module(AsyncDef("tick", Do(Await(Sleep(0.001))), Emit("other task ran"))).
			Observes(
				Event("anext starts"), Event("anext ends"), Event("body starts"), Event("other task ran"), Event("body ends"),
				Event("anext starts"), Event("anext ends"), Event("body starts"), Event("body ends"),
				Event("anext starts"),
			),
		spec("the generator does not run ahead: items are produced on demand").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("produce",
				For("i", TupleOf(Lit(0), Lit(1), Lit(2)),
					Emit("produced", Var("i")),
					Yield(Var("i")))),
			).
			Main(AsyncFor("x", Call("produce"),
				Emit("consumed", Var("x")),
				If(BinOp(Var("x"), "==", Lit(1)), Break()))).
			Observes(Event("produced", 0), Event("consumed", 0), Event("produced", 1), Event("consumed", 1)),
	)

	// async for needs an object with __aiter__
	behaviour("SEED-NON-ITERABLE", "`async for` over a list, an int, None: `TypeError: 'async for' requires an object with __aiter__ method, got T`",
		spec("a list of anext() awaitables is rejected, naming list").
			Needs(CapAsyncGenerators).
			Module(getOdds).
			Main(
				Let("odds", Call("get_odds", Lit(10))),
				Let("odds", ListOf(ANext(Var("odds")), ANext(Var("odds")))),
				AsyncFor("i", Var("odds"), Observe(Var("i"))),
			).
			Observes(requiresAiter("list")),
		spec("a list of values is rejected").
			Main(drain(Lit(VList(1, 2)))).
			Observes(requiresAiter("list")),
		spec("an int is rejected").
			Main(drain(Lit(5))).
			Observes(requiresAiter("int")),
		spec("None is rejected").
			Main(drain(Lit(nil))).
			Observes(requiresAiter("NoneType")),
		spec("a str is rejected").
			Main(drain(Lit("abc"))).
			Observes(requiresAiter("str")),
		spec("a tuple is rejected").
			Main(Let("t", TupleOf(Lit(1))), drain(Var("t"))).
			Observes(requiresAiter("tuple")),
		spec("a dict is rejected").
			Main(Let("d", Lit(VDict("k", 1))), drain(Var("d"))).
			Observes(requiresAiter("dict")),
		spec("a plain generator is rejected").
			Module(Def("gen", Yield(Lit(1)))).
			Main(drain(Call("gen"))).
			Observes(requiresAiter("generator")),
		spec("the error comes before the body runs even once").
			Main(AsyncFor("x", Lit(VList(1)), Emit("body ran"))).
			Observes(requiresAiter("list")),
	)
})

// slowItem is an __anext__ body that awaits before returning an item.
var slowItem = []Stmt{
	Emit("anext starts"),
	Do(Await(Sleep(0))),
	Emit("anext ends"),
	Return(Lit("item")),
}

// requiresAiter is the TypeError of `async for` over an object whose type
// has no __aiter__.
func requiresAiter(typeName string) Observation {
	return Raises("TypeError", "'async for' requires an object with __aiter__ method, got "+typeName)
}
