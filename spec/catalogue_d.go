package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group D: asend().
var _ = family("D", func() {
	nonNone := Raises("TypeError", "can't send non-None value to a just-started async generator")
	stopped := Raises("StopAsyncIteration", "")
	asend := func(it *Expr, v any) *Expr { return Await(Method(it, "asend", Lit(v))) }
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}

	// asend() to a just-started generator
	behaviour("D01", "asend(non-None) to a just-started async generator",
		spec("asend(42) to a just-started generator raises TypeError").
			Needs(caps...).
			Module(agen("agen", 1)).
			Main(Observe(asend(Call("agen"), 42))).
			Observes(nonNone),
	)

	behaviour("D02", "asend(None) to a just-started generator is the same as anext",
		spec("asend(None) to a just-started generator gives its first value, as anext() does").
			Needs(caps...).
			Module(agen("agen", 1)).
			Main(Observe(asend(Call("agen"), nil))).
			Observes(Got(1)),
	)

	behaviour("D05", "asend(non-None) to a just-started generator: error raised on await, not on asend() call; generator still usable",
		spec("asend(42) raises only when awaited, and the generator stays usable").
			Needs(caps...).
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Let("aw", Method(Var("g"), "asend", Lit(42))),
				Emit("created"),
				Observe(Await(Var("aw"))),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Event("created"), nonNone, Got(1)),
		spec("asend() returns CPython's async_generator_asend object").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapIntrospection).
			AsDetail().
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Let("aw", Method(Var("g"), "asend", Lit(42))),
				Emit("created", TypeName(Var("aw"))),
				Observe(Await(Var("aw"))),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Event("created", "async_generator_asend"), nonNone, Got(1)),
	)

	// asend() to an exhausted generator
	behaviour("D04", "asend() to an exhausted generator",
		spec("asend(None) and asend(1) to an exhausted generator raise StopAsyncIteration").
			Needs(caps...).
			Module(agen("agen")).
			Main(
				Let("it", Call("agen")),
				drain(Var("it")),
				Observe(asend(Var("it"), nil)),
				Observe(asend(Var("it"), 1)),
			).
			Observes(stopped, stopped),
	)
})
