package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family W found by differential search (`aiterspec diff`).
var _ = family("W", func() {
	behaviour("W08", "`await` of an object whose class defines `__await__` as a generator runs that generator: what it returns is the await's value, what it raises comes out of the await",
		spec("await Aw(), whose __await__ returns 7 before it yields, gives 7").
			Module(Class("Aw", Def("__await__", Return(Lit(7))).AsGenerator())).
			Main(Observe(Await(Call("Aw")))).
			Observes(Got(7)),
		spec("await Aw(), whose __await__ raises ValueError before it yields, raises that ValueError").
			Module(Class("Aw", Def("__await__", Raise(Exc("ValueError", "z"))).AsGenerator())).
			Main(Observe(Await(Call("Aw")))).
			Observes(Raises("ValueError", "z")),
		spec("inside an async generator, the StopAsyncIteration an awaited __await__ raises becomes RuntimeError, caused by it").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(
				Class("Aw", Def("__await__", Raise(Var("StopAsyncIteration"))).AsGenerator()),
				AsyncDef("agen", Do(Await(Call("Aw"))), Yield(Lit(0))),
			).
			Main(Let("g", Call("agen")), Observe(Await(ANext(Var("g"))))).
			Observes(Raises("RuntimeError", "async generator raised StopAsyncIteration").CausedBy("StopAsyncIteration", "")),
	)
})
