package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family B that CPython's own tests check
// (docs/cpython-tests-coverage.md): what awaiting anext() does with what
// __anext__ returned.
var _ = family("B", func() {
	// returning is class I whose plain def __anext__ has body.
	returning := func(body ...Stmt) Stmt {
		return Class("I", Def("__aiter__", Return(Self())), Def("__anext__", body...))
	}
	bothWays := []Stmt{Observe(Await(ANext(Call("I"), Lit("D")))), Observe(Await(ANext(Call("I"))))}

	behaviour("B15", "awaiting anext(it) or anext(it, d) when `__anext__` returns a plain iterator or a generator raises TypeError naming it",
		spec("awaiting anext(it, d) or anext(it) when __anext__ returns a plain iterator raises TypeError naming it").
			Needs(CapANextBuiltin).
			Module(returning(Return(Call("iter", Lit(VList(1)))))).
			Main(bothWays...).
			Observes(Raises("TypeError", "object list_iterator can't be used in 'await' expression"),
				Raises("TypeError", "object list_iterator can't be used in 'await' expression")),
		spec("awaiting anext(it, d) or anext(it) when __anext__ is a generator function raises TypeError naming generator").
			Needs(CapANextBuiltin).
			Module(returning(Yield())).
			Main(bothWays...).
			Observes(Raises("TypeError", "object generator can't be used in 'await' expression"),
				Raises("TypeError", "object generator can't be used in 'await' expression")),
	)

	behaviour("B16", "awaiting anext(it) or anext(it, d) when `__anext__` returns an object whose `__await__` returns a non-iterator raises TypeError",
		spec("awaiting anext(it, d) or anext(it) when __await__ returns a non-iterator raises TypeError naming its type").
			Needs(CapANextBuiltin).
			Module(Class("Bad", Def("__await__", Return(Lit(42)))), returning(Return(Call("Bad")))).
			Main(bothWays...).
			Observes(Raises("TypeError", "__await__() returned non-iterator of type 'int'"),
				Raises("TypeError", "__await__() returned non-iterator of type 'int'")),
	)

	behaviour("B17", "an `__await__` raising before it yields: its exception comes out of anext(it), anext(it, d) and `async for` unchanged",
		spec("an __await__ that raises before it yields: the exception comes out of await anext(it, d), await anext(it) and async for unchanged").
			Needs(CapANextBuiltin).
			Module(Class("Raising", Def("__await__", Raise(Exc("ValueError", "z")), Yield())), returning(Return(Call("Raising")))).
			Main(append(bothWays, drain(Call("I")))...).
			Observes(Raises("ValueError", "z"), Raises("ValueError", "z"), Raises("ValueError", "z")),
	)
})
