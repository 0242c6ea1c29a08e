package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group O: the awaitables anext(), asend(), athrow() and
// aclose() return: when they run, and awaiting one twice.
var _ = family("O", func() {
	reuseSend := Raises("RuntimeError", "cannot reuse already awaited __anext__()/asend()")
	reuseThrow := Raises("RuntimeError", "cannot reuse already awaited aclose()/athrow()")
	awaitAw := Observe(Await(Var("aw")))

	// an awaitable advances the generator only when awaited
	behaviour("O03", "anext awaitables created but never awaited do not advance the generator",
		spec("three anext() awaitables created and dropped do not advance the generator").
			Needs(CapAsyncGenerators).
			Module(agen("agen", "v1", "v2")).
			Main(
				Let("g", Call("agen")),
				For("_", Call("range", Lit(3)), Do(ANext(Var("g")))),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got("v1")),
	)

	behaviour("O09", "interleaving: anext awaitable created, then another one awaited, then the first",
		spec("an anext() awaitable created first and awaited after another one gives the later value").
			Needs(CapAsyncGenerators).
			Module(agen("agen", "v1", "v2", "v3")).
			Main(
				Let("g", Call("agen")),
				Let("a1", ANext(Var("g"))),
				Observe(Await(ANext(Var("g")))),
				Observe(Await(Var("a1"))),
			).
			Observes(Got("v1"), Got("v2")),
	)

	// an awaitable can be awaited once
	behaviour("O04", "re-awaiting an already-awaited anext(g) awaitable",
		spec("awaiting an anext() awaitable again raises RuntimeError each time; the generator is unaffected").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1, 2)).
			Main(
				Let("g", Call("agen")),
				Let("aw", ANext(Var("g"))),
				awaitAw, awaitAw, awaitAw,
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got(1), reuseSend, reuseSend, Got(2)),
	)

	behaviour("O05", "re-awaiting an already-awaited anext(g, default) awaitable",
		spec("awaiting an anext(g, default) awaitable again raises RuntimeError; the generator is unaffected").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(agen("agen", 1, 2)).
			Main(
				Let("g", Call("agen")),
				Let("aw", ANext(Var("g"), Lit("D"))),
				awaitAw, awaitAw,
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got(1), reuseSend, Got(2)),
	)

	behaviour("O06", "re-awaiting an already-awaited asend() / athrow() / aclose() awaitable",
		spec("awaiting an asend(), athrow() or aclose() awaitable again raises RuntimeError").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(AsyncDef("g",
				Try(Yield(Lit(1))).Except("ValueError", "", Yield(Lit("h"))),
				Yield(Lit(2)),
			)).
			Main(
				Let("it", Call("g")),
				Let("aw", Method(Var("it"), "asend", Lit(nil))), awaitAw, awaitAw,
				Let("aw", Method(Var("it"), "athrow", Var("ValueError"))), awaitAw, awaitAw,
				Let("aw", Method(Var("it"), "aclose")), awaitAw, awaitAw,
			).
			Observes(Got(1), reuseSend, Got("h"), reuseThrow, Got(nil), reuseThrow),
	)

	behaviour("O07", "re-awaiting an anext awaitable after the generator is exhausted",
		spec("awaiting again an anext() awaitable that raised StopAsyncIteration raises RuntimeError").
			Needs(CapAsyncGenerators).
			Module(agen("agen")).
			Main(Let("g", Call("agen")), Let("aw", ANext(Var("g"))), awaitAw, awaitAw).
			Observes(Raises("StopAsyncIteration", ""), reuseSend),
	)

	behaviour("O08", "re-awaiting an already-awaited coroutine",
		spec("awaiting a coroutine again raises RuntimeError").
			Module(AsyncDef("coro", Return(Lit(1)))).
			Main(Let("c", Call("coro")), Observe(Await(Var("c"))), Observe(Await(Var("c")))).
			Observes(Got(1), Raises("RuntimeError", "cannot reuse already awaited coroutine")),
	)

	neverAwaited := Event("warning", "RuntimeWarning: coroutine 'coro' was never awaited")
	asendNeverAwaited := Event("warning", "RuntimeWarning: coroutine method 'asend' of 'agen' was never awaited")
	// dropping an awaitable unawaited
	behaviour("O10", "unawaited anext(g) awaitable emits no 'never awaited' warning (coroutine does)",
		spec("unawaited anext() and asend() awaitables give no 'never awaited' warning; an unawaited coroutine does").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapDeterministicCollect).
			AsDetail().
			Report(ReportWarnings).
			Module(agen("agen", 1), AsyncDef("coro", Return(Lit(1)))).
			Main(
				Let("g", Call("agen")),
				Let("x", ANext(Var("g"))), Del("x"),
				Let("y", Method(Var("g"), "asend", Lit(nil))), Del("y"),
				Let("z", Call("coro")), Del("z"),
				Do(Call("gc.collect")),
			).
			Observes(neverAwaited).
			Since(">= 3.13", "Python 3.13 warns about unawaited asend()/athrow() awaitables of async generators (gh-89091)",
				asendNeverAwaited, asendNeverAwaited, neverAwaited),
		spec("unawaited athrow() and aclose() awaitables give no 'never awaited' warning either (from differential classes of CPython 3.13)").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapDeterministicCollect).
			AsDetail().
			Report(ReportWarnings).
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Let("x", Method(Var("g"), "athrow", Var("ValueError"))), Del("x"),
				Let("y", Method(Var("g"), "aclose")), Del("y"),
				Do(Call("gc.collect")),
				Emit("collected"),
			).
			Observes(Event("collected")).
			Since(">= 3.13", "Python 3.13 warns about unawaited asend()/athrow() awaitables of async generators (gh-89091); aclose() is an athrow() named aclose",
				Event("warning", "RuntimeWarning: coroutine method 'athrow' of 'agen' was never awaited"),
				Event("warning", "RuntimeWarning: coroutine method 'aclose' of 'agen' was never awaited"),
				Event("collected")),
	)
})
