package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group W: await of non-awaitables
// (cpython-3.11-catalogue.md, W01–W07).
var _ = family("W", func() {
	cantAwait := func(typeName string) Observation {
		return Raises("TypeError", "object "+typeName+" can't be used in 'await' expression")
	}
	asyncAwait := Class("X", AsyncDef("__await__", Return(Lit(1))))

	behaviour("W01", "await of a non-awaitable (int) in a coroutine",
		spec("await 5 raises TypeError naming int").
			Main(Do(Await(Lit(5)))).
			Observes(cantAwait("int")),
	)

	behaviour("W02", "await None / await a list / await a sync generator",
		spec("await None, await [1] and await of a sync generator each raise TypeError").
			Main(
				Do(Await(Lit(nil))),
				Do(Await(Lit(VList(1)))),
				Do(Await(Comprehension(GenexpForm, Var("i"), SyncClause("i", TupleOf())))),
			).
			Observes(cantAwait("NoneType"), cantAwait("list"), cantAwait("generator")),
	)

	behaviour("W03", "await an object whose `__await__` returns a non-iterator",
		spec("await of an object whose __await__ returns 1 raises TypeError naming int").
			Module(Class("Bad", Def("__await__", Return(Lit(1))))).
			Main(Observe(Await(Call("Bad")))).
			Observes(Raises("TypeError", "__await__() returned non-iterator of type 'int'")),
	)

	behaviour("W05", "await an async generator object itself",
		spec("await agen(1) raises TypeError naming async_generator").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1)).
			Main(Observe(Await(Call("agen")))).
			Observes(cantAwait("async_generator")),
	)

	behaviour("W06", "await a `__await__` that is an async def (wrong)",
		spec("await of an object whose __await__ is async def raises __await__() returned a coroutine").
			Module(asyncAwait).
			Main(Observe(Await(Call("X")))).
			Observes(Raises("TypeError", "__await__() returned a coroutine")),
		spec("the coroutine __await__ returned is never awaited, and CPython warns so").
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
			),
	)

	behaviour("W07", "`__await__` set only on the instance is ignored",
		spec("__await__ set on an instance only is ignored: TypeError naming the class").
			Module(Class("Plain", Pass())).
			Main(
				Let("o", Call("Plain")),
				SetAttr(Var("o"), "__await__", Lambda(Call("iter", TupleOf()))),
				Observe(Await(Var("o"))),
			).
			Observes(cantAwait("Plain")),
	)
})
