package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family S that CPython's own tests check
// (docs/cpython-tests-coverage.md).
var _ = family("S", func() {
	stopped := Raises("StopAsyncIteration", "")
	// aiterGen is a class whose __aiter__ is an async generator function.
	aiterGen := Class("Gen", AsyncDef("__aiter__", Yield(Lit(1)), Do(Await(Sleep(0))), Yield(Lit(2))))

	behaviour("S18", "an `__aiter__` that is an async generator function is valid: aiter(), `async for` and async comprehensions use the generator it makes",
		spec("aiter() of an object whose __aiter__ is an async generator function returns that generator, which anext() steps").
			Needs(CapAsyncGenerators, CapAIterBuiltin).
			Module(aiterGen).
			Main(
				Let("ait", AIter(Call("Gen"))),
				Observe(TypeName(Var("ait"))),
				Observe(Await(ANext(Var("ait")))),
				Observe(Await(ANext(Var("ait")))),
				Observe(Await(ANext(Var("ait")))),
			).
			Observes(Got("async_generator"), Got(1), Got(2), stopped),
		spec("async for and an async comprehension iterate an object whose __aiter__ is an async generator function").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(aiterGen).
			Main(drain(Call("Gen")), Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("Gen"))))).
			Observes(Got(1), Got(2), Got(VList(1, 2))),
		spec("a while loop stepping aiter() of such an object with anext() until StopAsyncIteration").
			Needs(CapAsyncGenerators, CapAIterBuiltin).
			Module(aiterGen).
			Main(
				Let("ait", AIter(Call("Gen"))),
				While(Lit(true), Try(Observe(Await(ANext(Var("ait"))))).Except("StopAsyncIteration", "", Break())),
				Emit("after loop"),
			).
			Observes(Got(1), Got(2), Event("after loop")),
	)
})

// An async iterator that is an exception instance (test_coroutines'
// test_for_stop_iteration).
var _ = family("S", func() {
	// aiterStop is class AIter(StopIteration): i = 0; its __anext__ returns
	// self.value once, then raises StopAsyncIteration.
	aiterStop := Class("AIter",
		Let("i", Lit(0)),
		Def("__aiter__", Return(Self())),
		AsyncDef("__anext__",
			If(Attr(Self(), "i"), Raise(Var("StopAsyncIteration"))),
			SetAttr(Self(), "i", BinOp(Attr(Self(), "i"), "+", Lit(1))),
			Return(Attr(Self(), "value")),
		),
	).WithBases("StopIteration")

	behaviour("S19", "an async iterator may itself be a StopIteration instance: `async for` gives the values its `__anext__` returns, not taking the iterator for a stop signal",
		spec("async for over AIter(42), a StopIteration subclass, gives 42 and ends").
			Module(aiterStop).
			Main(
				Let("it", Call("AIter", Lit(42))),
				Observe(Call("isinstance", Var("it"), Var("StopIteration"))),
				drain(Var("it")),
				Emit("after loop"),
			).
			Observes(Got(true), Got(42), Event("after loop")),
	)
})

// An async iterator that is a tuple (test_coroutines' test_for_tuple).
var _ = family("S", func() {
	// aiterTuple is class AIter(tuple): i = 0; its __anext__ returns ten
	// times each of its own items, read by len() and subscripts.
	aiterTuple := Class("AIter",
		Let("i", Lit(0)),
		Def("__aiter__", Return(Self())),
		AsyncDef("__anext__",
			If(BinOp(Attr(Self(), "i"), ">=", Call("len", Self())), Raise(Var("StopAsyncIteration"))),
			SetAttr(Self(), "i", BinOp(Attr(Self(), "i"), "+", Lit(1))),
			Return(BinOp(Subscript(Self(), BinOp(Attr(Self(), "i"), "-", Lit(1))), "*", Lit(10))),
		),
	).WithBases("tuple")

	behaviour("S20", "an async iterator may itself be a tuple: `async for` and async comprehensions use its `__anext__`, not the tuple's items; a tuple subclass without `__aiter__` is rejected by name",
		spec("async for over AIter([4, 2]), a tuple subclass, gives what its __anext__ returns, 40 and 20").
			Module(aiterTuple).
			Main(
				Let("it", Call("AIter", Lit(VList(4, 2)))),
				Observe(Call("isinstance", Var("it"), Var("tuple"))),
				Observe(Call("len", Var("it"))),
				drain(Var("it")),
				Emit("after loop"),
			).
			Observes(Got(true), Got(2), Got(40), Got(20), Event("after loop")),
		spec("an async comprehension over AIter([1, 2, 3]) gives [10, 20, 30]; the items are still the tuple's").
			Needs(CapAsyncComprehensions).
			Module(aiterTuple).
			Main(
				Let("it", Call("AIter", Lit(VList(1, 2, 3)))),
				Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Var("it")))),
				Observe(Var("it")),
			).
			Observes(Got(VList(10, 20, 30)), Got(VTuple(1, 2, 3))),
		spec("async for over an instance of a tuple subclass with no __aiter__ raises TypeError naming the subclass").
			Module(Class("Pair", Pass()).WithBases("tuple")).
			Main(AsyncFor("x", Call("Pair", Lit(VList(1, 2))), Observe(Var("x")))).
			Observes(sNoAiter("Pair")),
	)
})
