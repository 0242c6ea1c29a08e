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
	)
})
