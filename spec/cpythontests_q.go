package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family Q that CPython's own tests check
// (docs/cpython-tests-coverage.md).
var _ = family("Q", func() {
	syntax := func(msg string, line int) Observation { return Raises("SyntaxError", msg).AtLine(line) }
	const noLineBefore310 = "before 3.10 CPython reports this SyntaxError with lineno 0"
	asyncComp := "asynchronous comprehension outside of an asynchronous function"
	code := Got(VObject("code"))
	ai := func(it *Expr) *Expr { return Call("asynciter", it) }
	l12, l1020 := Lit(VList(1, 2)), Lit(VList(10, 20))
	// nestedInList is [[x async for x in y] for z in w].
	nestedInList := Comprehension(ListForm, Comprehension(ListForm, Var("x"), AsyncClause("x", Var("y"))), SyncClause("z", Var("w")))
	// Before 3.11 an async comprehension may not be nested in a sync one:
	// bpo-33346 (gh-77527, python/cpython#6766) allowed it in 3.11.
	const nestedBefore311 = "before 3.11 an async comprehension may not be nested in a sync comprehension (bpo-33346)"

	behaviour("Q08", "async comprehensions nested in sync comprehensions inside an async def (allowed from 3.11)",
		spec("async comprehensions nested in list, set and dict comprehensions inside an async def").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(asynciter).
			Main(
				Observe(Comprehension(ListForm, Comprehension(ListForm, BinOp(Var("i"), "+", Var("j")), AsyncClause("i", ai(l12))), SyncClause("j", l1020))),
				Observe(Comprehension(ListForm, Comprehension(SetForm, BinOp(Var("i"), "+", Var("j")), AsyncClause("i", ai(l12))), SyncClause("j", l1020))),
				Observe(DictComprehension(Var("j"), DictComprehension(Var("i"), BinOp(Var("i"), "+", Var("j")), AsyncClause("i", ai(l12))), SyncClause("j", l1020))),
				Observe(Comprehension(ListForm,
					Comprehension(ListForm,
						Comprehension(ListForm, BinOp(BinOp(Var("i"), "+", Var("j")), "+", Var("k")), AsyncClause("i", ai(l12))),
						SyncClause("j", l1020)),
					SyncClause("k", Lit(VList(100, 200))))),
			).
			Observes(
				Got(VList(VList(11, 12), VList(21, 22))),
				Got(VList(VSet(11, 12), VSet(21, 22))),
				Got(VDict(10, VDict(1, 11, 2, 12), 20, VDict(1, 21, 2, 22))),
				Got(VList(VList(VList(111, 112), VList(121, 122)), VList(VList(211, 212), VList(221, 222)))),
			).
			InVersions(">= 3.11"),
		spec("a generator expression of async comprehensions is an async generator; async genexps made in a comprehension can be drained by one").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(asynciter).
			Main(
				Let("gen", Comprehension(GenexpForm, Comprehension(ListForm, BinOp(Var("i"), "+", Var("j")), AsyncClause("i", ai(l12))), SyncClause("j", l1020))),
				Observe(TypeName(Var("gen"))),
				Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Var("gen")))),
				Let("gens", Comprehension(ListForm, Comprehension(GenexpForm, Var("i"), AsyncClause("i", ai(Call("range", Var("j"))))), SyncClause("j", Lit(VList(3, 5))))),
				Observe(Comprehension(ListForm, Var("x"), SyncClause("g", Var("gens")), AsyncClause("x", Var("g")))),
			).
			Observes(Got("async_generator"), Got(VList(VList(11, 12), VList(21, 22))), Got(VList(0, 1, 2, 0, 1, 2, 3, 4))).
			InVersions(">= 3.11"),
		spec("[[x async for x in y] for z in w] compiles in an async def from 3.11 on").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("f", Return(nestedInList))))).
			Observes(code).
			Since("< 3.10", nestedBefore311+"; "+noLineBefore310, Raises("SyntaxError", asyncComp)).
			Since("< 3.11", nestedBefore311, syntax(asyncComp, 2)),
	)

	behaviour("Q09", "a generator expression with await in its condition or element is an async generator expression, even in a plain def",
		spec("a generator expression with await in its condition or element is an async generator, even in a plain def").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(wrap,
				Def("evens", Return(Comprehension(GenexpForm, BinOp(Var("i"), "*", Lit(2)), SyncClause("i", Call("range", Var("n")), Await(Call("wrap", Var("i"))))))).WithParams("n"),
				Def("waited", Return(Comprehension(GenexpForm, Await(Call("wrap", Var("i"))), SyncClause("i", Call("range", Var("n")))))).WithParams("n"),
			).
			Main(
				Observe(TypeName(Call("evens", Lit(4)))),
				Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("evens", Lit(4))))),
				Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("waited", Lit(3))))),
			).
			Observes(Got("async_generator"), Got(VList(2, 4, 6)), Got(VList(0, 1, 2))),
	)
})
