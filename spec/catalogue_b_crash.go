package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Two catalogue rows whose expectation is not what CPython 3.11 does: it is
// what CPython does from 3.12.10, 3.13.3 and 3.14 on, where the exception a
// plain-def __anext__ raises propagates from the anext() call itself, as it
// does without a default. Earlier CPythons crash on them; their baseline
// (reports/baselines/cpython.json) records how, and why.
var _ = family("B", func() {
	raising := func(exc *Expr) Stmt {
		return Class("P", Def("__aiter__", Return(Self())), Def("__anext__", Raise(exc)))
	}
	// the exception propagates from the anext() call
	behaviour("B13", "anext(it, default) where a plain-def `__anext__` raises StopAsyncIteration synchronously",
		spec("a plain-def __anext__ raising StopAsyncIteration: anext(it, default) raises it, it does not return the default").
			Needs(CapANextBuiltin).
			Module(raising(Var("StopAsyncIteration"))).
			Main(Let("aw", ANext(Call("P"), Lit("D"))), Emit("anext() returned")).
			Observes(Raises("StopAsyncIteration", ""), Event("anext() returned")),
	)

	behaviour("B14", "anext(it, default) where a plain-def `__anext__` raises ValueError synchronously",
		spec("a plain-def __anext__ raising ValueError: anext(it, default) raises it at the call").
			Needs(CapANextBuiltin).
			Module(raising(Exc("ValueError", "x"))).
			Main(Let("aw", ANext(Call("P"), Lit("D"))), Emit("anext() returned")).
			Observes(Raises("ValueError", "x"), Event("anext() returned")),
		spec("without a default the same __anext__ raises at the call too (no crash on any version)").
			Needs(CapANextBuiltin).
			Module(raising(Exc("ValueError", "x"))).
			Main(Let("aw", ANext(Call("P"))), Emit("anext() returned")).
			Observes(Raises("ValueError", "x"), Event("anext() returned")),
	)
})
