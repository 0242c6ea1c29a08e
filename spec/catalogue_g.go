package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group G: async generators: ordering, exhaustion, anext() and
// its default (cpython-3.11-catalogue.md, G01–G16).
var _ = family("G", func() {
	// gBoom is the catalogue's g(): raises ValueError('boom') before its
	// first (unreachable) yield.
	gBoom := AsyncDef("g", Raise(Exc("ValueError", "boom")), Yield())
	next := func(it string, def ...*Expr) *Expr { return Await(ANext(Var(it), def...)) }

	behaviour("G01", "async generator yields values in order (async for)",
		spec("an async comprehension over an async generator collects 1 2 3 in order").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(AsyncDef("g", Yield(Lit(1)), Yield(Lit(2)), Yield(Lit(3)))).
			Main(Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("g"))))).
			Observes(Got(VList(1, 2, 3))),
		spec("async for over an async generator gives 1 2 3 in order").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Yield(Lit(1)), Yield(Lit(2)), Yield(Lit(3)))).
			Main(drain(Call("g"))).
			Observes(gotAll(1, 2, 3)...),
	)

	behaviour("G02", "anext() steps an async generator one value at a time",
		spec("two awaited anext() calls give the first two values").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1, 2)).
			Main(Let("g", Call("agen")), Observe(TupleOf(next("g"), next("g")))).
			Observes(Got(VTuple(1, 2))),
	)

	behaviour("G03", "anext() on an exhausted async generator",
		spec("the anext() after the last value raises StopAsyncIteration with an empty message").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1)).
			Main(Let("g", Call("agen")), Do(next("g")), Do(next("g"))).
			Observes(Raises("StopAsyncIteration", "")),
		spec("the StopAsyncIteration of exhaustion has no arguments").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Do(next("g")),
				Try(Do(next("g"))).Except("StopAsyncIteration", "e",
					Observe(Var("e")), Observe(Attr(Var("e"), "args"))),
			).
			Observes(Got(VException("StopAsyncIteration", "")), Got(VTuple())),
	)

	behaviour("G04", "repeated anext() after exhaustion keeps raising (no reset, no other error)",
		spec("three anext() on an empty async generator raise StopAsyncIteration three times").
			Needs(CapAsyncGenerators).
			Module(agen("agen")).
			Main(append([]Stmt{Let("g", Call("agen"))}, repeat(3, Observe(next("g")))...)...).
			Observes(Raises("StopAsyncIteration", ""), Raises("StopAsyncIteration", ""), Raises("StopAsyncIteration", "")),
	)

	behaviour("G05", "anext(it, default) on an exhausted iterator returns default",
		spec("anext(g, 'D') three times on a one-value generator gives 1 D D").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(agen("agen", 1)).
			Main(Let("g", Call("agen")), Observe(TupleOf(next("g", Lit("D")), next("g", Lit("D")), next("g", Lit("D"))))).
			Observes(Got(VTuple(1, "D", "D"))),
	)

	behaviour("G06", "anext(it, None): None is a real default (not 'no default')",
		spec("anext(empty generator, None) returns None instead of raising").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(agen("agen")).
			Main(Observe(Await(ANext(Call("agen"), Lit(nil))))).
			Observes(Got(nil)),
	)

	behaviour("G07", "anext(it, default) does not swallow other exceptions",
		spec("a ValueError from the generator body passes through anext(g(), 'D')").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(gBoom).
			Main(Observe(Await(ANext(Call("g"), Lit("D"))))).
			Observes(Raises("ValueError", "boom")),
	)

	behaviour("G08", "exception raised before first yield surfaces on first anext; generator is then finished",
		spec("first anext() raises the body's ValueError, the second StopAsyncIteration").
			Needs(CapAsyncGenerators).
			Module(gBoom).
			Main(Let("it", Call("g")), Observe(next("it")), Observe(next("it"))).
			Observes(Raises("ValueError", "boom"), Raises("StopAsyncIteration", "")),
	)

	behaviour("G10", "async for ... else: else runs on exhaustion, not on break",
		spec("else runs after the generator is exhausted and is skipped after break").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1, 2)).
			Main(
				AsyncFor("x", Call("agen"), Pass()).WithElse(Emit("else ran after exhaustion")),
				AsyncFor("x", Call("agen"), Break()).WithElse(Emit("else ran after break")),
				Emit("done"),
			).
			Observes(Event("else ran after exhaustion"), Event("done")),
	)

	behaviour("G11", "aiter(async_gen) returns the same object; async generator type names",
		spec("aiter(g) returns g itself").
			Needs(CapAsyncGenerators, CapAIterBuiltin).
			Module(agen("agen")).
			Main(Let("g", Call("agen")), Observe(Is(AIter(Var("g")), Var("g")))).
			Observes(Got(true)),
		spec("an async generator's type is named async_generator").
			Needs(CapAsyncGenerators).
			Module(agen("agen")).
			Main(Let("g", Call("agen")), Observe(TypeName(Var("g")))).
			Observes(Got("async_generator")),
		spec("__anext__(), asend(), athrow() and aclose() give CPython's internal awaitable types").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapIntrospection).
			AsDetail().
			Module(agen("agen")).
			Main(
				Let("g", Call("agen")),
				Observe(TypeName(Method(Var("g"), "__anext__"))),
				Observe(TypeName(Method(Var("g"), "asend", Lit(nil)))),
				Observe(TypeName(Method(Var("g"), "athrow", Var("ValueError")))),
				Observe(TypeName(Method(Var("g"), "aclose"))),
			).
			Observes(Got("async_generator_asend"), Got("async_generator_asend"),
				Got("async_generator_athrow"), Got("async_generator_athrow")),
		spec("anext(g, 0) gives an anext_awaitable").
			Needs(CapAsyncGenerators, CapANextBuiltin, CapIntrospection).
			AsDetail().
			Module(agen("agen")).
			Main(Let("g", Call("agen")), Observe(TypeName(ANext(Var("g"), Lit(0))))).
			Observes(Got("anext_awaitable")),
		spec("the unawaited awaitables of __anext__(), asend(), athrow() and aclose() are dropped without a warning").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			AsDetail().
			Report(ReportWarnings).
			Module(agen("agen")).
			Main(
				Let("g", Call("agen")),
				Do(Method(Var("g"), "__anext__")),
				Do(Method(Var("g"), "asend", Lit(nil))),
				Do(Method(Var("g"), "athrow", Var("ValueError"))),
				Do(Method(Var("g"), "aclose")),
				Do(Call("gc.collect")),
				Emit("collected"),
			).
			Observes(Event("collected")).
			Since(">= 3.13", "CPython 3.13 warns about never-awaited asend/athrow/aclose awaitables (gh-89091); 3.12 and earlier drop them silently",
				Event("warning", "RuntimeWarning: coroutine method 'asend' of 'agen' was never awaited"),
				Event("warning", "RuntimeWarning: coroutine method 'asend' of 'agen' was never awaited"),
				Event("warning", "RuntimeWarning: coroutine method 'athrow' of 'agen' was never awaited"),
				Event("warning", "RuntimeWarning: coroutine method 'aclose' of 'agen' was never awaited"),
				Event("collected"),
			),
		spec("the unawaited awaitables of anext(g) and anext(g, 0) are dropped without a warning").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			AsDetail().
			Report(ReportWarnings).
			Module(agen("agen")).
			Main(
				Let("g", Call("agen")),
				Do(ANext(Var("g"))),
				Do(ANext(Var("g"), Lit(0))),
				Do(Call("gc.collect")),
				Emit("collected"),
			).
			Observes(Event("collected")).
			Since(">= 3.13", "CPython 3.13 warns about the never-awaited asend awaitable anext() makes, also inside anext(g, 0) (gh-89091)",
				Event("warning", "RuntimeWarning: coroutine method 'asend' of 'agen' was never awaited"),
				Event("warning", "RuntimeWarning: coroutine method 'asend' of 'agen' was never awaited"),
				Event("collected"),
			),
	)

	behaviour("G12", "anext() without default returns the generator's own `__anext__` awaitable (same type), with default returns anext_awaitable",
		spec("anext(g) is of the same type as g.__anext__()").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Observe(BinOp(TypeName(ANext(Var("g"))), "==", TypeName(Method(Var("g"), "__anext__")))),
			).
			Observes(Got(true)),
		spec("anext(g) is an async_generator_asend, anext(g, 0) an anext_awaitable").
			Needs(CapAsyncGenerators, CapANextBuiltin, CapIntrospection).
			AsDetail().
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Observe(TypeName(ANext(Var("g")))),
				Observe(TypeName(ANext(Var("g"), Lit(0)))),
			).
			Observes(Got("async_generator_asend"), Got("anext_awaitable")),
	)

	behaviour("G13", "driving `__anext__()` by hand: send(None) raises StopIteration(value) for each item, StopAsyncIteration at the end",
		spec("without an event loop, __anext__().send(None) raises StopIteration(7), then StopAsyncIteration()").
			Needs(CapAsyncGenerators).
			Sync().
			Module(agen("agen", 7)).
			Main(append([]Stmt{Let("g", Call("agen"))}, repeat(2,
				Try(Do(Method(Method(Var("g"), "__anext__"), "send", Lit(nil)))).Except("BaseException", "e",
					Observe(Var("e")), Observe(Attr(Var("e"), "args"))))...)...).
			Observes(
				Got(VException("StopIteration", "7")), Got(VTuple(7)),
				Got(VException("StopAsyncIteration", "")), Got(VTuple()),
			),
	)

	behaviour("G15", "returning (no value) from async generator ends iteration",
		spec("yield 1; return; yield 2 gives [1] and ends silently").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Yield(Lit(1)), Return(), Yield(Lit(2)))).
			Main(drain(Call("g")), Emit("after loop")).
			Observes(Got(1), Event("after loop")),
	)

	behaviour("G16", "generator state attributes before/after exhaustion (ag_running, ag_frame)",
		spec("ag_running is False both before the first step and after exhaustion").
			Needs(CapAsyncGenerators, CapIntrospection).
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Observe(Attr(Var("g"), "ag_running")),
				AsyncFor("x", Var("g"), Pass()),
				Observe(Attr(Var("g"), "ag_running")),
			).
			Observes(Got(false), Got(false)),
		spec("ag_frame is a frame before the first step and None after exhaustion").
			Needs(CapAsyncGenerators, CapIntrospection).
			AsDetail().
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Observe(Is(Attr(Var("g"), "ag_frame"), Lit(nil))),
				AsyncFor("x", Var("g"), Pass()),
				Observe(Is(Attr(Var("g"), "ag_frame"), Lit(nil))),
			).
			Observes(Got(false), Got(true)),
	)
})
