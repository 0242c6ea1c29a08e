package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group N: what __anext__ may return
// (cpython-3.11-catalogue.md, N01–N13).
var _ = family("N", func() {
	// plainNext is class I whose plain def __anext__ returns result. Its
	// first call returns result, later ones raise StopAsyncIteration:
	// an implementation that wrongly accepts result ends the loop after one
	// item (a failure) instead of looping until the time limit.
	plainNext := func(result *Expr) Stmt {
		return Class("I", Def("__aiter__", Return(Self())),
			Def("__anext__", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Return(result)}))
	}
	// bad is class Bad whose __await__ returns 1, not an iterator.
	bad := Class("Bad", Def("__await__", Return(Lit(1))))
	selfI := Attr(Self(), "i")
	countUp := SetAttr(Self(), "i", BinOp(selfI, "+", Lit(1)))
	initI := Def("__init__", SetAttr(Self(), "i", Lit(0)))

	behaviour("N01", "`__anext__` returns an int",
		spec("__anext__ returning 1 makes async for raise TypeError naming int").
			Module(plainNext(Lit(1))).
			Main(drain(Call("I"))).
			Observes(nInvalid("int").CausedBy("TypeError", "object int can't be used in 'await' expression")),
	)

	behaviour("N02", "`__anext__` returns None",
		spec("__anext__ returning None makes async for raise TypeError naming NoneType").
			Module(plainNext(Lit(nil))).
			Main(drain(Call("I"))).
			Observes(nInvalid("NoneType").CausedBy("TypeError", "object NoneType can't be used in 'await' expression")),
	)

	behaviour("N08", "`__anext__` returns an awaitable whose `__await__` returns a non-iterator",
		spec("__anext__ returning an object whose __await__ returns 1 makes async for raise TypeError naming its class").
			Module(bad, plainNext(Call("Bad"))).
			Main(drain(Call("I"))).
			Observes(nInvalid("Bad").CausedBy("TypeError", "__await__() returned non-iterator of type 'int'")),
	)

	behaviour("N09", "`__anext__` returns a sync generator object (not awaitable)",
		spec("__anext__ returning a sync generator makes async for raise TypeError naming generator").
			Module(plainNext(Comprehension(GenexpForm, Var("i"), SyncClause("i", TupleOf())))).
			Main(drain(Call("I"))).
			Observes(nInvalid("generator").CausedBy("TypeError", "object generator can't be used in 'await' expression")),
	)

	behaviour("N03", "`__anext__` is async def (returns a coroutine) - the normal case",
		spec("a counter with async def __anext__ gives 1 2 3, then the loop ends").
			Module(Class("C",
				initI,
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__",
					countUp,
					If(BinOp(selfI, ">", Lit(3)), Raise(Var("StopAsyncIteration"))),
					Return(selfI)),
			)).
			Main(drain(Call("C")), Emit("after loop")).
			Observes(Got(1), Got(2), Got(3), Event("after loop")),
	)

	behaviour("N04", "`__anext__` returns a custom awaitable whose `__await__` is a generator",
		spec("a custom awaitable that returns a value or raises StopAsyncIteration gives 1 2").
			Module(
				Class("Aw",
					Def("__init__", SetAttr(Self(), "v", Var("v"))).WithParams("v"),
					Def("__await__",
						If(BinOp(Attr(Self(), "v"), ">", Lit(2)), Raise(Var("StopAsyncIteration"))),
						YieldFrom(TupleOf()),
						Return(Attr(Self(), "v"))),
				),
				Class("C",
					initI,
					Def("__aiter__", Return(Self())),
					Def("__anext__", countUp, Return(Call("Aw", selfI))),
				),
			).
			Main(drain(Call("C")), Emit("after loop")).
			Observes(Got(1), Got(2), Event("after loop")),
	)

	behaviour("N05", "`__anext__` returns an asyncio.Future",
		spec("done futures with results 10 and 20, then with StopAsyncIteration, give 10 20").
			Needs(CapTasks).
			Module(Class("F",
				initI,
				Def("__aiter__", Return(Self())),
				Def("__anext__",
					countUp,
					If(BinOp(selfI, ">", Lit(2)), Return(FutureException(Call("StopAsyncIteration")))),
					Return(FutureResult(BinOp(selfI, "*", Lit(10))))),
			)).
			Main(drain(Call("F")), Emit("after loop")).
			Observes(Got(10), Got(20), Event("after loop")),
	)

	behaviour("N06", "`__anext__` is a plain def returning a coroutine (valid)",
		spec("__anext__ returning self._next() (an async def) gives 1 2").
			Module(Class("P",
				initI,
				Def("__aiter__", Return(Self())),
				Def("__anext__", Return(Method(Self(), "_next"))),
				AsyncDef("_next",
					countUp,
					If(BinOp(selfI, ">", Lit(2)), Raise(Var("StopAsyncIteration"))),
					Return(selfI)),
			)).
			Main(drain(Call("P")), Emit("after loop")).
			Observes(Got(1), Got(2), Event("after loop")),
	)

	behaviour("N07", "plain-def `__anext__` raising StopAsyncIteration synchronously ends the loop",
		spec("async for over it runs the body zero times and raises nothing").
			Module(Class("P",
				Def("__aiter__", Return(Self())),
				Def("__anext__", Raise(Var("StopAsyncIteration"))))).
			Main(drain(Call("P")), Emit("after loop")).
			Observes(Event("after loop")),
	)

	behaviour("N10", "async def `__anext__` raising StopIteration",
		spec("async for raises RuntimeError: coroutine raised StopIteration, caused by the StopIteration").
			// Only the first call raises StopIteration; later ones end the
			// loop: an implementation that takes the StopIteration for the
			// coroutine's return (an item None: Cython 0.29) fails instead
			// of looping until the time limit.
			Module(Class("I",
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Raise(Var("StopIteration"))}))).
			Main(drain(Call("I"))).
			Observes(Raises("RuntimeError", "coroutine raised StopIteration").CausedBy("StopIteration", "")),
	)

	payload := Class("I",
		Def("__aiter__", Return(Self())),
		AsyncDef("__anext__", Raise(Exc("StopAsyncIteration", "payload"))))
	behaviour("N11", "StopAsyncIteration('payload') from `__anext__`: value is ignored by async for",
		spec("async for ends silently; anext() raises the StopAsyncIteration with its payload").
			Module(payload).
			Main(drain(Call("I")), Emit("after loop"), Observe(Await(ANext(Call("I"))))).
			Observes(Event("after loop"), Raises("StopAsyncIteration", "payload")),
		spec("anext(it, 'D') returns the default, ignoring the payload").
			Needs(CapANextBuiltin).
			Module(payload).
			Main(Observe(Await(ANext(Call("I"), Lit("D"))))).
			Observes(Got("D")),
	)

	behaviour("N13", "the TypeError for an invalid `__anext__` result chains the underlying error as `__cause__`",
		spec("__anext__ returning Bad(): the cause is __await__() returned non-iterator").
			Module(bad, plainNext(Call("Bad"))).
			Main(
				Try(AsyncFor("x", Call("I"), Pass())).Except("TypeError", "e",
					Observe(Var("e")), Observe(Attr(Var("e"), "__cause__"))),
			).
			Observes(
				Got(VException("TypeError", "'async for' received an invalid object from __anext__: Bad")),
				Got(VException("TypeError", "__await__() returned non-iterator of type 'int'")),
			),
		spec("__anext__ returning 1: the cause is object int can't be used in 'await' expression").
			Module(plainNext(Lit(1))).
			Main(
				Try(AsyncFor("x", Call("I"), Pass())).Except("TypeError", "e",
					Observe(Var("e")), Observe(Attr(Var("e"), "__cause__"))),
			).
			Observes(
				Got(VException("TypeError", "'async for' received an invalid object from __anext__: int")),
				Got(VException("TypeError", "object int can't be used in 'await' expression")),
			),
	)
})

// nInvalid is the TypeError of `async for` when __anext__ returns an object
// of type typeName that cannot be awaited.
func nInvalid(typeName string) Observation {
	return Raises("TypeError", "'async for' received an invalid object from __anext__: "+typeName)
}
