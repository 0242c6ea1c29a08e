package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family Q found by differential search (`aiterspec diff`).
var _ = family("Q", func() {
	// It's plain-def __anext__ raises StopIteration at once.
	stopping := Class("It", Def("__aiter__", Return(Self())), Def("__anext__", Raise(Var("StopIteration"))))
	converted := Raises("RuntimeError", "coroutine raised StopIteration").CausedBy("StopIteration", "")
	behaviour("Q10", "a StopIteration an `__anext__` raises inside an async list, set or dict comprehension becomes RuntimeError: coroutine raised StopIteration; 3.12 inlines these comprehensions (PEP 709) and lets it out unchanged; an async generator expression converts it in every version",
		spec("async list, set and dict comprehensions over an iterator whose __anext__ raises StopIteration raise RuntimeError caused by it; an async generator expression raises async generator raised StopIteration").
			Needs(CapAsyncComprehensions).
			Module(stopping).
			Main(
				Do(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("It")))),
				Do(Comprehension(SetForm, Var("x"), AsyncClause("x", Call("It")))),
				Do(DictComprehension(Var("x"), Var("x"), AsyncClause("x", Call("It")))),
				Do(Comprehension(ListForm, Var("y"), AsyncClause("y", Comprehension(GenexpForm, Var("x"), AsyncClause("x", Call("It")))))),
			).
			Observes(converted, converted, converted,
				Raises("RuntimeError", "async generator raised StopIteration").CausedBy("StopIteration", "")).
			Since(">= 3.12", "3.12 runs list, set and dict comprehensions inline in the enclosing coroutine (PEP 709), so the StopIteration leaves the statement before any coroutine frame converts it",
				Raises("StopIteration", ""), Raises("StopIteration", ""), Raises("StopIteration", ""),
				Raises("RuntimeError", "async generator raised StopIteration").CausedBy("StopIteration", "")),
	)

	behaviour("Q11", "an async generator expression may await in its element: inside an async def it compiles and each item is the awaited value",
		spec("[y async for y in (await wrap(x) async for x in agen())] gives 1 2").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1, 2), wrap).
			Main(Observe(Comprehension(ListForm, Var("y"), AsyncClause("y",
				Comprehension(GenexpForm, Await(Call("wrap", Var("x"))), AsyncClause("x", Call("agen"))))))).
			Observes(Got(VList(1, 2))),
	)
})
