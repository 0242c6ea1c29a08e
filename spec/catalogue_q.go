package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group Q: async comprehensions
// (cpython-3.11-catalogue.md, Q01–Q07).
var _ = family("Q", func() {
	overAgen := func(name string) Clause { return AsyncClause("x", Call(name)) }
	dbl := AsyncDef("dbl", Return(BinOp(Lit(2), "*", Var("x")))).WithParams("x")
	keep := AsyncDef("keep", Return(BinOp(Var("x"), "%", Lit(2)))).WithParams("x")

	behaviour("Q01", "async list/set/dict comprehensions and async genexp",
		spec("list, set and dict comprehensions collect what an async generator yields").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen313", 3, 1, 3), agen("agen12", 1, 2)).
			Main(
				Observe(Comprehension(ListForm, Var("x"), overAgen("agen313"))),
				Observe(Comprehension(SetForm, Var("x"), overAgen("agen313"))),
				Observe(DictComprehension(Var("x"), BinOp(Var("x"), "*", Var("x")), overAgen("agen12"))),
			).
			Observes(Got(VList(3, 1, 3)), Got(VSet(1, 3)), Got(VDict(1, 1, 2, 4))),
		spec("an async generator expression is an async_generator that an async comprehension drains").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen12", 1, 2)).
			Main(
				Let("ge", Comprehension(GenexpForm, Var("x"), overAgen("agen12"))),
				Observe(TypeName(Var("ge"))),
				Observe(Comprehension(ListForm, Var("y"), AsyncClause("y", Var("ge")))),
			).
			Observes(Got("async_generator"), Got(VList(1, 2))),
	)

	behaviour("Q02", "async comprehension with await in the element and if clause",
		spec("[await dbl(x) async for x in agen(1, 2, 3) if await keep(x)] is [2, 6]").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1, 2, 3), dbl, keep).
			Main(Observe(Comprehension(ListForm, Await(Call("dbl", Var("x"))),
				AsyncClause("x", Call("agen"), Await(Call("keep", Var("x"))))))).
			Observes(Got(VList(2, 6))),
	)

	behaviour("Q03", "sync comprehension with await inside async def (allowed)",
		spec("[await dbl(x) for x in range(3)] is [0, 2, 4]").
			Needs(CapAsyncComprehensions).
			Module(dbl).
			Main(Observe(Comprehension(ListForm, Await(Call("dbl", Var("x"))), SyncClause("x", Call("range", Lit(3)))))).
			Observes(Got(VList(0, 2, 4))),
		spec("await in the element of a set comprehension and in the key or value of a dict comprehension").
			Needs(CapAsyncComprehensions).
			Module(wrap).
			Main(
				Observe(Comprehension(SetForm, Await(Var("c")), SyncClause("c", ListOf(Call("wrap", Lit(1)), Call("wrap", Lit(41)))))),
				Observe(DictComprehension(Await(Var("c")), Lit("a"), SyncClause("c", ListOf(Call("wrap", Lit(1)), Call("wrap", Lit(41)))))),
				Observe(DictComprehension(Var("i"), Await(Call("wrap", BinOp(Var("i"), "*", Lit(10)))), SyncClause("i", Call("range", Lit(2))))),
			).
			Observes(Got(VSet(1, 41)), Got(VDict(1, "a", 41, "a")), Got(VDict(0, 0, 1, 10))),
		spec("await in the iterable of an inner for clause").
			Needs(CapAsyncComprehensions).
			Module(wrap).
			Main(Observe(Comprehension(ListForm, Var("s"),
				SyncClause("c", ListOf(Call("wrap", Lit("ab")), Call("wrap", Lit(VList())), Call("wrap", Lit(VList("de", "fg"))))),
				SyncClause("s", Await(Var("c")))))).
			Observes(Got(VList("a", "b", "de", "fg"))),
		spec("plain set and dict comprehensions inside an async def").
			Main(
				Let("xx", Comprehension(SetForm, Var("i"), SyncClause("i", Lit(VList(1, 2, 3))))),
				Observe(DictComprehension(Var("x"), Var("x"), SyncClause("x", Var("xx")))),
			).
			Observes(Got(VDict(1, 1, 2, 2, 3, 3))),
	)

	behaviour("Q04", "nested async comprehension mixing sync and async for",
		spec("[(i, x) for i in range(2) async for x in agen('a', 'b')] nests the async loop inside").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", "a", "b")).
			Main(Observe(Comprehension(ListForm, TupleOf(Var("i"), Var("x")),
				SyncClause("i", Call("range", Lit(2))), AsyncClause("x", Call("agen"))))).
			Observes(Got(VList(VTuple(0, "a"), VTuple(0, "b"), VTuple(1, "a"), VTuple(1, "b")))),
		spec("conditions on both a sync for and the async for after it").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(asynciter).
			Main(Observe(Comprehension(ListForm, TupleOf(Var("i"), Var("x")),
				SyncClause("i", Call("range", Lit(3)), BinOp(Var("i"), ">", Lit(0))),
				AsyncClause("x", Call("asynciter", Lit(VList(10, 20))), BinOp(Var("x"), ">", Lit(10)))))).
			Observes(Got(VList(VTuple(1, 20), VTuple(2, 20)))),
		spec("an async for clause followed by a sync for over each item").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(asynciter).
			Main(Observe(Comprehension(ListForm, BinOp(Var("i"), "+", Lit(1)),
				AsyncClause("seq", Call("asynciter", Lit(VList(VTuple(10, 20), VTuple(30))))),
				SyncClause("i", Var("seq"))))).
			Observes(Got(VList(11, 21, 31))),
		spec("a condition on a subscript of the sync item, then the async for over that item with its own condition").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(asynciter).
			Main(Observe(Comprehension(ListForm, BinOp(Var("i"), "+", Lit(1)),
				SyncClause("pair", Lit(VTuple(VList(10, 20), VList(30, 40))), BinOp(Subscript(Var("pair"), Lit(0)), ">", Lit(10))),
				AsyncClause("i", Call("asynciter", Var("pair")), BinOp(Var("i"), ">", Lit(30)))))).
			Observes(Got(VList(41))),
	)

	behaviour("Q06", "async comprehension propagates generator exceptions (partial results lost)",
		spec("a generator raising ValueError('mid') after yielding 1 makes the comprehension raise it").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(AsyncDef("g", Yield(Lit(1)), Raise(Exc("ValueError", "mid")))).
			Main(Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("g"))))).
			Observes(Raises("ValueError", "mid")),
	)

	behaviour("Q07", "async generator expression used with sync for / list()",
		spec("list() of an async generator expression raises TypeError naming async_generator").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1)).
			Main(
				Let("ge", Comprehension(GenexpForm, Var("x"), overAgen("agen"))),
				Observe(Call("list", Var("ge"))),
			).
			Observes(Raises("TypeError", "'async_generator' object is not iterable")),
	)
})
