package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group B: the builtins aiter() and anext() on wrong types
// (cpython-3.11-catalogue.md, B01–B11; B13 and B14, CPython crashes, are
// written elsewhere).
var _ = family("B", func() {
	notAsyncIterable := func(t string) Observation {
		return Raises("TypeError", "'"+t+"' object is not an async iterable")
	}
	notAsyncIterator := func(t string) Observation {
		return Raises("TypeError", "'"+t+"' object is not an async iterator")
	}
	syncGenexp := Comprehension(GenexpForm, Var("i"), SyncClause("i", TupleOf()))
	onlyNext := Class("OnlyNext", AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))))
	// intNext is class I whose plain def __anext__ returns 1.
	intNext := Class("I", Def("__aiter__", Return(Self())), Def("__anext__", Return(Lit(1))))
	cantAwaitInt := Raises("TypeError", "object int can't be used in 'await' expression")

	behaviour("B01", "aiter() on non-async-iterables",
		spec("aiter() of a list, an int, None and a sync generator raises TypeError naming each type").
			Needs(CapAIterBuiltin).
			Sync().
			Main(
				Observe(AIter(Lit(VList(1)))),
				Observe(AIter(Lit(5))),
				Observe(AIter(Lit(nil))),
				Observe(AIter(syncGenexp)),
			).
			Observes(notAsyncIterable("list"), notAsyncIterable("int"), notAsyncIterable("NoneType"), notAsyncIterable("generator")),
	)

	behaviour("B02", "aiter() on an object whose `__aiter__` returns a non-async-iterator",
		spec("aiter() of an object whose __aiter__ returns a list raises TypeError naming list").
			Needs(CapAIterBuiltin).
			Sync().
			Module(Class("BadAiter", Def("__aiter__", Return(Lit(VList(1)))))).
			Main(Observe(AIter(Call("BadAiter")))).
			Observes(Raises("TypeError", "aiter() returned not an async iterator of type 'list'")),
	)

	behaviour("B03", "aiter() on an object with only `__anext__`",
		spec("aiter() of an object with only __anext__ raises TypeError naming its class").
			Needs(CapAIterBuiltin).
			Sync().
			Module(onlyNext).
			Main(Observe(AIter(Call("OnlyNext")))).
			Observes(notAsyncIterable("OnlyNext")),
	)

	behaviour("B04", "anext() on non-async-iterators",
		spec("anext() of a list, a list iterator, an int, None and a sync generator raises TypeError naming each type").
			Needs(CapANextBuiltin).
			Sync().
			Main(
				Observe(ANext(Lit(VList(1)))),
				Observe(ANext(Call("iter", Lit(VList(1))))),
				Observe(ANext(Lit(5))),
				Observe(ANext(Lit(nil))),
				Observe(ANext(syncGenexp)),
			).
			Observes(notAsyncIterator("list"), notAsyncIterator("list_iterator"), notAsyncIterator("int"),
				notAsyncIterator("NoneType"), notAsyncIterator("generator")),
	)

	behaviour("B05", "anext() on an async iterable that is not an async iterator (has `__aiter__` only)",
		spec("anext() of an object with only __aiter__ raises TypeError naming its class").
			Needs(CapANextBuiltin, CapAsyncGenerators).
			Sync().
			Module(agen("agen", 1), Class("Iterable", Def("__aiter__", Return(Call("agen"))))).
			Main(Observe(ANext(Call("Iterable")))).
			Observes(notAsyncIterator("Iterable")),
	)

	behaviour("B06", "anext() with a default on a non-async-iterator",
		spec("anext([1], 'D') raises TypeError naming list at the call").
			Needs(CapANextBuiltin).
			Sync().
			Main(Observe(ANext(Lit(VList(1)), Lit("D")))).
			Observes(notAsyncIterator("list")),
	)

	behaviour("B07", "aiter()/anext() arity errors",
		spec("aiter(g, 1), anext() and anext(g, 1, 2) raise TypeError stating the arity").
			Needs(CapAIterBuiltin, CapANextBuiltin, CapAsyncGenerators).
			Sync().
			Module(agen("agen")).
			Main(
				Let("g", Call("agen")),
				Observe(Call("aiter", Var("g"), Lit(1))),
				Observe(Call("anext")),
				Observe(Call("anext", Var("g"), Lit(1), Lit(2))),
			).
			Observes(
				Raises("TypeError", "aiter() takes exactly one argument (2 given)"),
				Raises("TypeError", "anext expected at least 1 argument, got 0"),
				Raises("TypeError", "anext expected at most 2 arguments, got 3"),
			),
		spec("anext() takes no keyword arguments, and aiter() needs its argument").
			Needs(CapAIterBuiltin, CapANextBuiltin, CapAsyncGenerators).
			Sync().
			Module(agen("agen")).
			Main(
				Observe(Call("anext").WithKwarg("aiterator", Call("agen"))),
				Observe(Call("aiter")),
			).
			Observes(
				Raises("TypeError", "anext() takes no keyword arguments"),
				Raises("TypeError", "aiter() takes exactly one argument (0 given)"),
			),
	)

	behaviour("B08", "anext(it) without default when `__anext__` returns an int: anext returns the int itself, await fails",
		spec("anext(I()) is the int 1 that __anext__ returned; awaiting it raises TypeError").
			Needs(CapANextBuiltin).
			Module(intNext).
			Main(Let("x", ANext(Call("I"))), Observe(Var("x")), Observe(Await(Var("x")))).
			Observes(Got(1), cantAwaitInt),
	)

	behaviour("B09", "anext(it, default) when `__anext__` returns an int",
		spec("await anext(I(), 'D') raises TypeError: object int can't be used in 'await' expression").
			Needs(CapANextBuiltin).
			Module(intNext).
			Main(Observe(Await(ANext(Call("I"), Lit("D"))))).
			Observes(cantAwaitInt),
	)

	behaviour("B10", "anext(it, default) when `__anext__` returns a Future",
		spec("await anext(F(), 'D') gives the done Future's result 5").
			Needs(CapANextBuiltin, CapTasks).
			Module(Class("F", Def("__aiter__", Return(Self())), Def("__anext__", Return(FutureResult(Lit(5)))))).
			Main(Observe(Await(ANext(Call("F"), Lit("D"))))).
			Observes(Got(5)),
	)

	behaviour("B11", "anext(it, default) on a custom iterator with a custom `__await__` awaitable that ends",
		spec("an __await__ raising StopAsyncIteration gives 'D' with a default and StopAsyncIteration without").
			Needs(CapANextBuiltin).
			Module(
				Class("Aw", Def("__await__", Raise(Var("StopAsyncIteration")), Yield())),
				Class("C", Def("__aiter__", Return(Self())), Def("__anext__", Return(Call("Aw")))),
			).
			Main(Observe(Await(ANext(Call("C"), Lit("D")))), Observe(Await(ANext(Call("C"))))).
			Observes(Got("D"), Raises("StopAsyncIteration", "")),
	)
})
