package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// The seed tutorial's first part: an async generator stepped by awaiting
// anext(), and what anext() returns.
var _ = family("SEED", func() {
	awaitNext := Observe(Await(ANext(Var("evens"))))

	// values come out in order
	behaviour("SEED-AGEN-ORDER", "awaited `anext()` on `get_evens(10)` gives 0 2 4 6 8 in order",
		spec("awaited anext() on get_evens(10) gives 0 2 4 6 8").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(append([]Stmt{Let("evens", Call("get_evens", Lit(10)))}, repeat(5, awaitNext)...)...).
			Observes(gotAll(0, 2, 4, 6, 8)...),
		spec("get_evens(3) gives 0 2 and no more").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(Let("evens", Call("get_evens", Lit(3))), awaitNext, awaitNext, awaitNext).
			Observes(Got(0), Got(2), Raises("StopAsyncIteration", "")),
		spec("values of any type keep their order").
			Needs(CapAsyncGenerators).
			Module(agen("g", "a", nil, VTuple(1, 2), 3)).
			Main(append([]Stmt{Let("evens", Call("g"))}, repeat(4, awaitNext)...)...).
			Observes(Got("a"), Got(nil), Got(VTuple(1, 2)), Got(3)),
		spec("two generators from one function step independently").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(Let("a", Call("get_evens", Lit(10))), Let("b", Call("get_evens", Lit(10))),
				Observe(Await(ANext(Var("a")))), Observe(Await(ANext(Var("a")))),
				Observe(Await(ANext(Var("b")))), Observe(Await(ANext(Var("a"))))).
			Observes(gotAll(0, 2, 0, 4)...),
	)

	// after the last value, StopAsyncIteration
	behaviour("SEED-AGEN-EXHAUST", "the call after the last value raises `StopAsyncIteration`, and so does every call after that",
		spec("the tutorial's sixth anext() on get_evens(10) raises StopAsyncIteration").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(append([]Stmt{Let("evens", Call("get_evens", Lit(10)))}, repeat(6, awaitNext)...)...).
			Observes(then(gotAll(0, 2, 4, 6, 8), Raises("StopAsyncIteration", ""))...),
		spec("every call after exhaustion raises StopAsyncIteration again").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(append([]Stmt{Let("evens", Call("get_evens", Lit(2)))}, repeat(4, awaitNext)...)...).
			Observes(Got(0), Raises("StopAsyncIteration", ""), Raises("StopAsyncIteration", ""), Raises("StopAsyncIteration", "")),
		spec("a generator with nothing to yield is exhausted at once").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(Let("evens", Call("get_evens", Lit(0))), awaitNext, awaitNext).
			Observes(Raises("StopAsyncIteration", ""), Raises("StopAsyncIteration", "")),
		spec("an exhausted generator stays exhausted for async for too").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(Let("evens", Call("get_evens", Lit(3))), drain(Var("evens")), drain(Var("evens")), awaitNext).
			Observes(Got(0), Got(2), Raises("StopAsyncIteration", "")),
	)

	// anext() returns an awaitable, not the value
	behaviour("SEED-ANEXT-AWAITABLE", "`anext()` returns an awaitable, not the value; the generator does not advance until it is awaited",
		spec("the generator does not run until the awaitable is awaited").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g",
				Emit("generator runs"),
				Yield(Lit(0)),
			)).
			Main(
				Let("it", Call("g")),
				Let("aw", ANext(Var("it"))),
				Emit("awaitable created"),
				Observe(Await(Var("aw"))),
			).
			Observes(Event("awaitable created"), Event("generator runs"), Got(0)),
		spec("what anext() returns is awaitable and is not the value").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(10))),
				Let("aw", ANext(Var("evens"))),
				Observe(Call("isinstance", Var("aw"), Var("collections.abc.Awaitable"))),
				Observe(Call("isinstance", Var("aw"), Var("int"))),
				Observe(Await(Var("aw"))),
			).
			Observes(Got(true), Got(false), Got(0)),
		spec("awaitables created and dropped unawaited do not advance the generator").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(10))),
				Do(ANext(Var("evens"))), Do(ANext(Var("evens"))), Do(ANext(Var("evens"))),
				awaitNext,
			).
			Observes(Got(0)),
	)

	// async generators have the protocol without writing it
	behaviour("SEED-AGEN-PROTOCOL", "an async generator has `__aiter__` (returning itself) and `__anext__` without writing them",
		spec("__aiter__ and __anext__ exist on an async generator").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(10))),
				Observe(Call("hasattr", Var("evens"), Lit("__aiter__"))),
				Observe(Call("hasattr", Var("evens"), Lit("__anext__"))),
			).
			Observes(Got(true), Got(true)),
		spec("__aiter__ returns the generator itself").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(10))),
				Observe(Is(Method(Var("evens"), "__aiter__"), Var("evens"))),
				Observe(Is(AIter(Var("evens")), Var("evens"))),
			).
			Observes(Got(true), Got(true)),
		spec("awaiting __anext__() by hand steps the generator like anext()").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(3))),
				Observe(Await(Method(Var("evens"), "__anext__"))),
				Observe(Await(ANext(Var("evens")))),
				Observe(Await(Method(Var("evens"), "__anext__"))),
			).
			Observes(Got(0), Got(2), Raises("StopAsyncIteration", "")),
		spec("an async generator is an AsyncIterator but not an Iterable").
			Needs(CapAsyncGenerators).
			Module(getEvens).
			Main(
				Let("evens", Call("get_evens", Lit(10))),
				Observe(Call("isinstance", Var("evens"), Var("collections.abc.AsyncIterator"))),
				Observe(Call("hasattr", Var("evens"), Lit("__iter__"))),
				Observe(Call("hasattr", Var("evens"), Lit("__next__"))),
			).
			Observes(Got(true), Got(false), Got(false)),
	)

	// awaitables made up front, awaited in a plain loop
	behaviour("SEED-AWAITABLE-LIST", "`anext()` awaitables created up front and awaited in a plain loop give the values in order",
		spec("four anext(odds) awaitables awaited in a for loop give 1 3 5 7").
			Needs(CapAsyncGenerators).
			Module(getOdds).
			Main(
				Let("odds", Call("get_odds", Lit(10))),
				Let("awaitable_list", ListOf(ANext(Var("odds")), ANext(Var("odds")), ANext(Var("odds")), ANext(Var("odds")))),
				For("awaitable", Var("awaitable_list"), Observe(Await(Var("awaitable")))),
			).
			Observes(gotAll(1, 3, 5, 7)...),
		spec("values follow the order of awaiting, not of creation").
			Needs(CapAsyncGenerators).
			Module(getOdds).
			Main(
				Let("odds", Call("get_odds", Lit(10))),
				Let("first", ANext(Var("odds"))),
				Let("second", ANext(Var("odds"))),
				Observe(Await(Var("second"))),
				Observe(Await(Var("first"))),
			).
			Observes(Got(1), Got(3)),
		spec("more awaitables than values: the extra ones raise StopAsyncIteration").
			Needs(CapAsyncGenerators).
			Module(getOdds).
			Main(
				Let("odds", Call("get_odds", Lit(4))),
				Let("awaitable_list", ListOf(ANext(Var("odds")), ANext(Var("odds")), ANext(Var("odds")))),
				For("awaitable", Var("awaitable_list"), Observe(Await(Var("awaitable")))),
			).
			Observes(Got(1), Got(3), Raises("StopAsyncIteration", "")),
	)
})
