package spec

import (
	. "github.com/onsi/ginkgo/v2"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group Q: async comprehensions
// (cpython-3.11-catalogue.md, Q01–Q07).
var _ = Describe("Catalogue Q: async comprehensions", func() {
	overAgen := func(name string) Clause { return AsyncClause("x", Call(name)) }
	dbl := AsyncDef("dbl", Return(BinOp(Lit(2), "*", Var("x")))).WithParams("x")
	keep := AsyncDef("keep", Return(BinOp(Var("x"), "%", Lit(2)))).WithParams("x")

	DescribeTable("Q01: async list, set and dict comprehensions and async generator expressions", check,
		entry(New("Q01", "list, set and dict comprehensions collect what an async generator yields").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen313", 3, 1, 3), agen("agen12", 1, 2)).
			Main(
				Observe(Comprehension(ListForm, Var("x"), overAgen("agen313"))),
				Observe(Comprehension(SetForm, Var("x"), overAgen("agen313"))),
				Observe(DictComprehension(Var("x"), BinOp(Var("x"), "*", Var("x")), overAgen("agen12"))),
			).
			Observes(Got(VList(3, 1, 3)), Got(VSet(1, 3)), Got(VDict(1, 1, 2, 4)))),
		entry(New("Q01", "an async generator expression is an async_generator that an async comprehension drains").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen12", 1, 2)).
			Main(
				Let("ge", Comprehension(GenexpForm, Var("x"), overAgen("agen12"))),
				Observe(TypeName(Var("ge"))),
				Observe(Comprehension(ListForm, Var("y"), AsyncClause("y", Var("ge")))),
			).
			Observes(Got("async_generator"), Got(VList(1, 2)))),
	)

	DescribeTable("Q02: await may appear in the element and in the if clause of an async comprehension", check,
		entry(New("Q02", "[await dbl(x) async for x in agen(1, 2, 3) if await keep(x)] is [2, 6]").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1, 2, 3), dbl, keep).
			Main(Observe(Comprehension(ListForm, Await(Call("dbl", Var("x"))),
				AsyncClause("x", Call("agen"), Await(Call("keep", Var("x"))))))).
			Observes(Got(VList(2, 6)))),
	)

	DescribeTable("Q03: a sync comprehension may await inside an async def", check,
		entry(New("Q03", "[await dbl(x) for x in range(3)] is [0, 2, 4]").
			Needs(CapAsyncComprehensions).
			Module(dbl).
			Main(Observe(Comprehension(ListForm, Await(Call("dbl", Var("x"))), SyncClause("x", Call("range", Lit(3)))))).
			Observes(Got(VList(0, 2, 4)))),
	)

	DescribeTable("Q04: one comprehension may mix for and async for clauses", check,
		entry(New("Q04", "[(i, x) for i in range(2) async for x in agen('a', 'b')] nests the async loop inside").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", "a", "b")).
			Main(Observe(Comprehension(ListForm, TupleOf(Var("i"), Var("x")),
				SyncClause("i", Call("range", Lit(2))), AsyncClause("x", Call("agen"))))).
			Observes(Got(VList(VTuple(0, "a"), VTuple(0, "b"), VTuple(1, "a"), VTuple(1, "b"))))),
	)

	DescribeTable("Q06: an async comprehension propagates the generator's exception, losing partial results", check,
		entry(New("Q06", "a generator raising ValueError('mid') after yielding 1 makes the comprehension raise it").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(AsyncDef("g", Yield(Lit(1)), Raise(Exc("ValueError", "mid")))).
			Main(Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("g"))))).
			Observes(Raises("ValueError", "mid"))),
	)

	DescribeTable("Q07: an async generator expression is not iterable with list()", check,
		entry(New("Q07", "list() of an async generator expression raises TypeError naming async_generator").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1)).
			Main(
				Let("ge", Comprehension(GenexpForm, Var("x"), overAgen("agen"))),
				Observe(Call("list", Var("ge"))),
			).
			Observes(Raises("TypeError", "'async_generator' object is not iterable"))),
	)
})
