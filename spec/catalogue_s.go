package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group S: async for and sync iteration over the wrong kinds of
// object (cpython-3.11-catalogue.md, S01–S17).
var _ = family("S", func() {
	notIterable := Raises("TypeError", "'async_generator' object is not iterable")
	noAnext := func(typeName string) Observation {
		return Raises("TypeError", "'async for' received an object from __aiter__ that does not implement __anext__: "+typeName)
	}
	// overVar is the catalogue's drain(it): async for over a variable
	// bound to x, observing each item.
	overVar := func(x *Expr) []Stmt { return []Stmt{Let("it", x), drain(Var("it"))} }

	behaviour("S01", "sync for over an async generator",
		spec("for x in agen(1) raises TypeError, without an event loop").
			Needs(CapAsyncGenerators).
			Sync().
			Module(agen("agen", 1)).
			Main(For("x", Call("agen"), Pass())).
			Observes(notIterable),
	)

	behaviour("S02", "list()/iter() over an async generator",
		spec("list(agen(1)) and iter(agen(1)) both raise TypeError").
			Needs(CapAsyncGenerators).
			Sync().
			Module(agen("agen", 1)).
			Main(Do(Call("list", Call("agen"))), Do(Call("iter", Call("agen")))).
			Observes(notIterable, notIterable),
	)

	behaviour("S03", "async for over a list",
		spec("async for over a list raises TypeError naming list, before any item").
			Main(overVar(Lit(VList(1, 2)))...).
			Observes(sNoAiter("list")),
	)

	behaviour("S04", "async for over an int",
		spec("async for over an int raises TypeError naming int").
			Main(overVar(Lit(5))...).
			Observes(sNoAiter("int")),
	)

	behaviour("S05", "async for over None",
		spec("async for over None raises TypeError naming NoneType").
			Main(overVar(Lit(nil))...).
			Observes(sNoAiter("NoneType")),
	)

	behaviour("S06", "async for over a sync generator",
		spec("async for over a sync generator raises TypeError naming generator").
			Main(overVar(Comprehension(GenexpForm, Var("i"), SyncClause("i", Call("range", Lit(2)))))...).
			Observes(sNoAiter("generator")),
	)

	behaviour("S07", "async for over an object with only `__anext__` (no `__aiter__`)",
		spec("async for over a class with __anext__ but no __aiter__ raises TypeError naming the class").
			Module(Class("OnlyNext", AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))))).
			Main(overVar(Call("OnlyNext"))...).
			Observes(sNoAiter("OnlyNext")),
	)

	behaviour("S08", "async for over an object whose `__aiter__` returns a non-async-iterator (a list)",
		spec("__aiter__ returning a list makes async for raise TypeError naming list").
			Module(Class("BadAiter", Def("__aiter__", Return(Lit(VList(1)))))).
			Main(overVar(Call("BadAiter"))...).
			Observes(noAnext("list")),
	)

	behaviour("S10", "`__aiter__` not callable (class attribute = 5)",
		spec("async for over a class whose __aiter__ is 5 raises 'int' object is not callable").
			Module(Class("NC", Let("__aiter__", Lit(5)))).
			Main(overVar(Call("NC"))...).
			Observes(Raises("TypeError", "'int' object is not callable")),
		spec("aiter() of a class whose __aiter__ is 5 raises 'int' object is not callable").
			Needs(CapAIterBuiltin).
			Sync().
			Module(Class("NC", Let("__aiter__", Lit(5)))).
			Main(Observe(AIter(Call("NC")))).
			Observes(Raises("TypeError", "'int' object is not callable")),
	)

	behaviour("S11", "`__aiter__` = None (explicit opt-out)",
		spec("async for over a class whose __aiter__ is None raises 'NoneType' object is not callable").
			Module(Class("Opt", Let("__aiter__", Lit(nil)))).
			Main(overVar(Call("Opt"))...).
			Observes(Raises("TypeError", "'NoneType' object is not callable")),
		spec("aiter() of a class whose __aiter__ is None raises 'NoneType' object is not callable").
			Needs(CapAIterBuiltin).
			Sync().
			Module(Class("Opt", Let("__aiter__", Lit(nil)))).
			Main(Observe(AIter(Call("Opt")))).
			Observes(Raises("TypeError", "'NoneType' object is not callable")),
	)

	asyncAiter := Class("AsyncAiter",
		AsyncDef("__aiter__", Return(Self())),
		AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))),
	)
	behaviour("S12", "`__aiter__` defined as async def (returns a coroutine) is rejected",
		spec("async for over a class with async def __aiter__ raises TypeError naming coroutine").
			Module(asyncAiter).
			Main(overVar(Call("AsyncAiter"))...).
			Observes(noAnext("coroutine")),
		spec("the coroutine __aiter__ returned is never awaited, and CPython warns so").
			AsDetail().
			Report(ReportWarnings).
			Module(asyncAiter).
			Main(
				// The warning comes when the coroutine is finalised: at once
				// under reference counting, at gc.collect() otherwise.
				Try(AsyncFor("x", Call("AsyncAiter"), Pass())).Except("TypeError", "e", Let("err", Var("e"))),
				Do(Call("gc.collect")),
				Observe(Var("err")),
			).
			Observes(
				Event("warning", "RuntimeWarning: coroutine 'AsyncAiter.__aiter__' was never awaited"),
				Got(VException("TypeError", "'async for' received an object from __aiter__ that does not implement __anext__: coroutine")),
			),
	)

	behaviour("S14", "`__aiter__` raising an exception: propagates unchanged from async for",
		spec("__aiter__ raising KeyError('x') makes async for raise that KeyError").
			Module(Class("R", Def("__aiter__", Raise(Exc("KeyError", "x"))))).
			Main(overVar(Call("R"))...).
			Observes(Raises("KeyError", "'x'")),
		spec("__aiter__ raising makes async for raise it, with no warning, before the body runs").
			Report(ReportWarnings).
			Module(Class("AI", Def("__aiter__", Raise(Exc("KeyError", "x"))))).
			Main(AsyncFor("i", Call("AI"), Emit("body ran")), Emit("after")).
			Observes(Raises("KeyError", "'x'"), Event("after")),
	)

	behaviour("S15", "list display as the iterable: the async for statement reports 'list', an async comprehension reports 'tuple' (the compiler emits BUILD_TUPLE for a list display there); a list variable reports 'list'",
		spec("the async for statement over a list display names list").
			Main(AsyncFor("x", Lit(VList(1, 2)), Pass())).
			Observes(sNoAiter("list")),
		spec("an async comprehension over a constant list display names tuple (the compiler builds a tuple)").
			Needs(CapAsyncComprehensions).
			AsDetail().
			Main(Do(Comprehension(ListForm, Var("x"), AsyncClause("x", Lit(VList(1, 2)))))).
			Observes(sNoAiter("tuple")).
			Since(">= 3.14", "3.14 no longer turns the display into a tuple (seen on CPython 3.14.2 in Pyodide)", sNoAiter("list")),
		spec("an async comprehension over a non-constant list display names tuple too").
			Needs(CapAsyncComprehensions).
			AsDetail().
			Main(
				Let("a", Lit(1)),
				Do(Comprehension(ListForm, Var("x"), AsyncClause("x", ListOf(Var("a"), Lit(2))))),
			).
			Observes(sNoAiter("tuple")).
			Since(">= 3.14", "3.14 no longer turns the display into a tuple (seen on CPython 3.14.2 in Pyodide)", sNoAiter("list")),
		spec("an async comprehension over a list variable names list").
			Needs(CapAsyncComprehensions).
			Main(
				Let("lst", Lit(VList(1, 2))),
				Do(Comprehension(ListForm, Var("x"), AsyncClause("x", Var("lst")))),
			).
			Observes(sNoAiter("list")),
	)

	behaviour("S17", "`__anext__` is a plain def that raises a non-Stop exception: propagates from async for",
		spec("a plain def __anext__ raising ValueError('sync') makes async for raise it").
			Module(Class("P",
				Def("__aiter__", Return(Self())),
				Def("__anext__", Raise(Exc("ValueError", "sync"))))).
			Main(overVar(Call("P"))...).
			Observes(Raises("ValueError", "sync")),
	)
})

// sNoAiter is the TypeError of `async for` over an object whose type has no
// __aiter__.
func sNoAiter(typeName string) Observation {
	return Raises("TypeError", "'async for' requires an object with __aiter__ method, got "+typeName)
}
