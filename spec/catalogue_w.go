package spec

import (
	. "github.com/onsi/ginkgo/v2"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group W: await of non-awaitables
// (cpython-3.11-catalogue.md, W01–W07).
var _ = Describe("Catalogue W: await of non-awaitables", func() {
	cantAwait := func(typeName string) Observation {
		return Raises("TypeError", "object "+typeName+" can't be used in 'await' expression")
	}
	asyncAwait := Class("X", AsyncDef("__await__", Return(Lit(1))))

	DescribeTable("W01: await of an int is a TypeError", check,
		entry(New("W01", "await 5 raises TypeError naming int").
			Main(Do(Await(Lit(5)))).
			Observes(cantAwait("int"))),
	)

	DescribeTable("W02: await of None, a list or a sync generator is a TypeError naming the type", check,
		entry(New("W02", "await None, await [1] and await of a sync generator each raise TypeError").
			Main(
				Do(Await(Lit(nil))),
				Do(Await(Lit(VList(1)))),
				Do(Await(Comprehension(GenexpForm, Var("i"), SyncClause("i", TupleOf())))),
			).
			Observes(cantAwait("NoneType"), cantAwait("list"), cantAwait("generator"))),
	)

	DescribeTable("W03: __await__ must return an iterator", check,
		entry(New("W03", "await of an object whose __await__ returns 1 raises TypeError naming int").
			Module(Class("Bad", Def("__await__", Return(Lit(1))))).
			Main(Observe(Await(Call("Bad")))).
			Observes(Raises("TypeError", "__await__() returned non-iterator of type 'int'"))),
	)

	DescribeTable("W05: an async generator object is not awaitable", check,
		entry(New("W05", "await agen(1) raises TypeError naming async_generator").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1)).
			Main(Observe(Await(Call("agen")))).
			Observes(cantAwait("async_generator"))),
	)

	DescribeTable("W06: an async def __await__ is rejected", check,
		entry(New("W06", "await of an object whose __await__ is async def raises __await__() returned a coroutine").
			Module(asyncAwait).
			Main(Observe(Await(Call("X")))).
			Observes(Raises("TypeError", "__await__() returned a coroutine"))),
		entry(New("W06", "the coroutine __await__ returned is never awaited, and CPython warns so").
			AsDetail().
			Report(ReportWarnings).
			Module(asyncAwait).
			Main(
				// The warning comes when the coroutine is finalised: at once
				// under reference counting, at gc.collect() otherwise.
				Try(Do(Await(Call("X")))).Except("TypeError", "e", Let("err", Var("e"))),
				Do(Call("gc.collect")),
				Observe(Var("err")),
			).
			Observes(
				Event("warning", "RuntimeWarning: coroutine 'X.__await__' was never awaited"),
				Got(VException("TypeError", "__await__() returned a coroutine")),
			)),
	)

	DescribeTable("W07: __await__ is looked up on the type, not the instance", check,
		entry(New("W07", "__await__ set on an instance only is ignored: TypeError naming the class").
			Module(Class("Plain", Pass())).
			Main(
				Let("o", Call("Plain")),
				SetAttr(Var("o"), "__await__", Lambda(Call("iter", TupleOf()))),
				Observe(Await(Var("o"))),
			).
			Observes(cantAwait("Plain"))),
	)
})
