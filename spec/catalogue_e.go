package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group E: exceptions raised in an async generator's body, and
// in the body of a loop over one.
var _ = family("E", func() {
	stopInBody := func(exc string) Stmt {
		return AsyncDef("g", Yield(Lit(1)), Raise(Var(exc)))
	}
	raisedStop := func(exc string) Observation {
		return Raises("RuntimeError", "async generator raised "+exc).CausedBy(exc, "")
	}

	// a stop signal raised in the body is turned into RuntimeError
	behaviour("E01", "StopAsyncIteration raised inside an async generator body",
		spec("StopAsyncIteration raised in the body ends async for with RuntimeError, caused by the StopAsyncIteration").
			Needs(CapAsyncGenerators).
			Module(stopInBody("StopAsyncIteration")).
			Main(drain(Call("g"))).
			Observes(Got(1), raisedStop("StopAsyncIteration")),
		spec("StopAsyncIteration raised in the body makes anext() raise RuntimeError, caused by the StopAsyncIteration").
			Needs(CapAsyncGenerators).
			Module(stopInBody("StopAsyncIteration")).
			Main(
				Let("it2", Call("g")),
				Observe(Await(ANext(Var("it2")))),
				Observe(Await(ANext(Var("it2")))),
			).
			Observes(Got(1), raisedStop("StopAsyncIteration")),
	)

	behaviour("E02", "StopIteration raised inside an async generator body",
		spec("StopIteration raised in the body ends async for with RuntimeError, caused by the StopIteration").
			Needs(CapAsyncGenerators).
			Module(stopInBody("StopIteration")).
			Main(drain(Call("g"))).
			Observes(Got(1), raisedStop("StopIteration")),
	)

	// other exceptions pass through unchanged
	behaviour("E04", "StopAsyncIteration inside an async def coroutine (not a generator) awaited by `__anext__` passes through",
		spec("StopAsyncIteration from a coroutine awaited by a coroutine __anext__ ends async for cleanly").
			Module(
				AsyncDef("inner", Raise(Var("StopAsyncIteration"))),
				Class("C",
					Def("__aiter__", Return(Self())),
					AsyncDef("__anext__", Return(Await(Call("inner")))),
				),
			).
			Main(drain(Call("C")), Emit("after loop")).
			Observes(Event("after loop")),
	)

	behaviour("E06", "exception object identity is preserved through anext",
		spec("the exception raised in the body is the very object anext() raises").
			Needs(CapAsyncGenerators).
			Module(
				Let("err", Exc("ValueError", "x")),
				AsyncDef("g", Raise(Var("err")), Yield()),
			).
			Main(Try(Do(Await(ANext(Call("g"))))).Except("ValueError", "e", Observe(Is(Var("e"), Var("err"))))).
			Observes(Got(true)),
	)

	behaviour("E07", "a BaseException that is not an Exception (SystemExit) from the generator body propagates through anext",
		spec("SystemExit raised in the body propagates through anext()").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Raise(Call("SystemExit", Lit(3))), Yield())).
			Main(Observe(Await(ANext(Call("g"))))).
			Observes(Raises("SystemExit", "3")),
	)

	breakOut := Try(AsyncFor("x", Var("g"), Raise(Var("ValueError")))).Except("ValueError", "", Pass())
	// an exception in the consumer's loop body leaves the generator open
	behaviour("E05", "exception in consumer's async-for body does not close the generator",
		spec("after a ValueError escapes the async for body, anext() resumes the generator with its next value").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1, 2, 3)).
			Main(Let("g", Call("agen")), breakOut, Observe(Await(ANext(Var("g"))))).
			Observes(Got(2)),
		spec("after a ValueError escapes the async for body, the generator still has its frame").
			Needs(CapAsyncGenerators, CapIntrospection).
			AsDetail().
			Module(agen("agen", 1, 2, 3)).
			Main(Let("g", Call("agen")), breakOut, Observe(Not(Is(Attr(Var("g"), "ag_frame"), Lit(nil))))).
			Observes(Got(true)),
	)
})
