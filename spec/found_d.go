package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family D found by differential search (`aiterspec diff`).
var _ = family("D", func() {
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
