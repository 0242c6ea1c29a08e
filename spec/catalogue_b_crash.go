package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// gh131670 is CPython's segfault in anext(it, default) when __anext__ is a
// plain def that raises (https://github.com/python/cpython/issues/131670).
// Fixed in 3.12.10, 3.13.3 and 3.14 (the fix was not backported to 3.11 or
// 3.10). The expectation is the fixed behaviour: the exception propagates
// from the anext() call itself, as it does without a default.
var gh131670 = KnownBug{
	Issue:          "gh-131670",
	Implementation: "cpython",
	Versions:       "< 3.12.10 || >= 3.13.0, < 3.13.3",
	Symptom:        "the interpreter segfaults (SIGSEGV) in anext(it, default) when a plain-def __anext__ raises",
}

// The two catalogue rows on which CPython 3.11 crashes. They have a file of
// their own because their expectation is not what CPython 3.11 does.
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
			Observes(Raises("StopAsyncIteration", ""), Event("anext() returned")).
			Known(gh131670),
	)

	behaviour("B14", "anext(it, default) where a plain-def `__anext__` raises ValueError synchronously",
		spec("a plain-def __anext__ raising ValueError: anext(it, default) raises it at the call").
			Needs(CapANextBuiltin).
			Module(raising(Exc("ValueError", "x"))).
			Main(Let("aw", ANext(Call("P"), Lit("D"))), Emit("anext() returned")).
			Observes(Raises("ValueError", "x"), Event("anext() returned")).
			Known(gh131670),
		spec("without a default the same __anext__ raises at the call too (no crash on any version)").
			Needs(CapANextBuiltin).
			Module(raising(Exc("ValueError", "x"))).
			Main(Let("aw", ANext(Call("P"))), Emit("anext() returned")).
			Observes(Raises("ValueError", "x"), Event("anext() returned")),
	)
})
