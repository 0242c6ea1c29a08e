package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family D found by differential search (`aiterspec diff`).
var _ = family("D", func() {
	behaviour("D10", "a non-None value sent into a just-started coroutine (what a class's async def `__anext__()` returns) raises TypeError naming a coroutine; the coroutine has not started",
		spec("It().__anext__().send('a') raises TypeError: can't send non-None value to a just-started coroutine; send(None) then runs it").
			Sync().
			Module(Class("It", AsyncDef("__anext__", Emit("body runs"), Return(Lit(1))))).
			Main(
				Let("aw", Method(Call("It"), "__anext__")),
				stepBy(Var("aw"), "send", Lit("a")),
				stepBy(Var("aw"), "send", Lit(nil)),
			).
			Observes(Raises("TypeError", "can't send non-None value to a just-started coroutine"), Event("body runs"), stop(1)),
	)

	behaviour("D11", "the StopAsyncIteration of asend(v) on a generator that ends, or has ended, has no arguments: the value sent is not in it",
		spec("asend(0) that runs the generator to its end raises StopAsyncIteration with an empty message").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(agen("agen", nil)).
			Main(Let("g", Call("agen")), Observe(Await(ANext(Var("g")))), Observe(Await(Method(Var("g"), "asend", Lit(0))))).
			Observes(Got(nil), Raises("StopAsyncIteration", "")),
		spec("asend('b') after athrow(TypeError) finished a never-started generator raises StopAsyncIteration with an empty message").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(agen("agen", "a")).
			Main(
				Let("g", Call("agen")),
				Observe(Await(Method(Var("g"), "athrow", Var("TypeError")))),
				Observe(Await(Method(Var("g"), "asend", Lit("b")))),
			).
			Observes(Raises("TypeError", ""), Raises("StopAsyncIteration", "")),
	)
})
