package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group X: cancellation, tasks, driving awaitables by hand, the
// exception hierarchy, the ABCs and introspection.
var _ = family("X", func() {
	stopped := Raises("StopAsyncIteration", "")

	// async generators and tasks
	behaviour("X01", "CancelledError thrown into an awaiting async generator via task cancel: generator is finalized",
		spec("cancelling the task awaiting anext() finalises the generator: finally runs, the task is cancelled, the generator is closed").
			Needs(CapAsyncGenerators, CapTasks).
			Module(AsyncDef("g", Try(
				Do(Await(Sleep(10))),
				Yield(Lit(1)),
			).WithFinally(Emit("finally ran on cancel")))).
			Main(
				Let("it", Call("g")),
				Let("t", Call("asyncio.create_task", ANext(Var("it")))),
				Do(Await(Sleep(0))),
				Do(Method(Var("t"), "cancel")),
				Observe(Await(Var("t"))),
				Observe(Await(ANext(Var("it")))),
			).
			Observes(Event("finally ran on cancel"), Raises("CancelledError", ""), stopped),
		spec("a generator whose consuming task is cancelled while it sleeps may await in its finally").
			Needs(CapAsyncGenerators, CapTasks).
			Module(
				AsyncDef("waiter", Try(Do(Await(Sleep(10))), Yield(Lit(1))).WithFinally(Do(Await(Sleep(0))), Emit("finally done"))),
				AsyncDef("consume", AsyncFor("_", Call("waiter"), Pass())),
			).
			Main(
				Let("t", Call("asyncio.create_task", Call("consume"))),
				Do(Await(Sleep(0))),
				Do(Method(Var("t"), "cancel")),
				Observe(Await(Var("t"))),
			).
			Observes(Event("finally done"), Raises("CancelledError", "")),
	)

	behaviour("X02", "async generator holds its place across different consumer tasks (no task affinity)",
		spec("anext() awaited in two different tasks steps one generator in order").
			Needs(CapAsyncGenerators, CapTasks).
			Module(agen("agen", 1, 2)).
			Main(
				Let("g", Call("agen")),
				Observe(Await(Call("asyncio.create_task", ANext(Var("g"))))),
				Observe(Await(Call("asyncio.create_task", ANext(Var("g"))))),
			).
			Observes(Got(1), Got(2)),
	)

	behaviour("X07", "an async generator's ag_await shows what it is blocked on",
		spec("ag_await is the coroutine the generator is suspended in, and None once it has yielded").
			Needs(CapAsyncGenerators, CapTasks, CapIntrospection).
			AsDetail().
			Module(rSlow(0.001, 1)).
			Main(
				Let("g", Call("slow")),
				Let("t", Call("asyncio.create_task", ANext(Var("g")))),
				Do(Await(Sleep(0))),
				Observe(TypeName(Attr(Var("g"), "ag_await"))),
				Observe(Attr(Var("g"), "ag_running")),
				Do(Await(Var("t"))),
				Observe(Attr(Var("g"), "ag_await")),
				Observe(Attr(Var("g"), "ag_running")),
			).
			Observes(Got("coroutine"), Got(true), Got(nil), Got(false)),
	)

	// driving awaitables by hand
	behaviour("X03", "async generator used without a running loop: driving anext awaitable manually works if body never awaits a Future",
		spec("with no event loop, send(None) to an anext() awaitable raises StopIteration carrying the value").
			Needs(CapAsyncGenerators).
			Sync().
			Module(agen("agen", 1)).
			Main(
				Let("aw", ANext(Call("agen"))),
				Try(Do(Method(Var("aw"), "send", Lit(nil)))).
					Except("StopIteration", "e", Observe(Attr(Var("e"), "value"))),
			).
			Observes(Got(1)),
	)

	behaviour("X04", "custom `__await__` doing a bare `yield` (no Future) inside asyncio: Task treats it as a zero-delay reschedule",
		spec("an __anext__ awaitable whose __await__ does a bare yield is resumed by the task and gives its value").
			Module(
				Class("Aw", Def("__await__", Yield(), Return(Lit(1)))),
				Class("C",
					Def("__aiter__", Return(Self())),
					Def("__anext__", Return(Call("Aw"))),
				),
			).
			Main(Observe(Await(ANext(Call("C"))))).
			Observes(Got(1)),
	)

	behaviour("X10", "throw() on an un-awaited anext awaitable throws into the generator",
		spec("throw() on an unawaited anext() awaitable throws into the generator, which catches it and yields").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Try(Yield(Lit(1)), Yield(Lit(2))).
				Except("ValueError", "e", Emit("gen caught", Var("e")), Yield(Lit("recovered"))))).
			Main(
				Let("it", Call("g")),
				Do(Await(ANext(Var("it")))),
				Let("aw", ANext(Var("it"))),
				Observe(Method(Var("aw"), "throw", Exc("ValueError", "t"))),
			).
			Observes(Event("gen caught", VException("ValueError", "t")), Raises("StopIteration", "recovered")),
	)

	// finally runs on normal exhaustion
	behaviour("X08", "yield inside try/finally: finally runs on normal exhaustion during the final anext",
		spec("a finally around the last yield runs during the anext() that ends the generator").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Try(Yield(Lit(1))).WithFinally(Emit("finally ran")))).
			Main(
				Let("it", Call("g")),
				Observe(Await(ANext(Var("it")))),
				Observe(Await(ANext(Var("it")))),
			).
			Observes(Got(1), Event("finally ran"), stopped),
	)

	isinstance := func(x *Expr, abc string) Stmt {
		return Observe(Call("isinstance", x, Var("collections.abc."+abc)))
	}
	// types and ABCs
	behaviour("X05", "StopAsyncIteration is a subclass of Exception, not of StopIteration",
		spec("StopAsyncIteration derives from Exception, not from StopIteration").
			Sync().
			Main(
				Observe(Comprehension(ListForm, Attr(Var("c"), "__name__"),
					SyncClause("c", Attr(Var("StopAsyncIteration"), "__mro__")))),
				Observe(Call("issubclass", Var("StopAsyncIteration"), Var("StopIteration"))),
			).
			Observes(Got(VList("StopAsyncIteration", "Exception", "BaseException", "object")), Got(false)),
	)

	behaviour("X06", "collections.abc: AsyncIterator/AsyncGenerator checks",
		spec("an async generator is an AsyncGenerator; a class with __aiter__ and __anext__ is an AsyncIterator only; one with __anext__ alone is neither iterator nor iterable").
			Needs(CapAsyncGenerators).
			Sync().
			Module(
				agen("agen"),
				Class("OnlyNext", AsyncDef("__anext__", Raise(Var("StopAsyncIteration")))),
				Class("Both",
					Def("__aiter__", Return(Self())),
					AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))),
				),
			).
			Main(
				isinstance(Call("agen"), "AsyncGenerator"),
				isinstance(Call("Both"), "AsyncIterator"),
				isinstance(Call("Both"), "AsyncGenerator"),
				isinstance(Call("OnlyNext"), "AsyncIterator"),
				isinstance(Call("OnlyNext"), "AsyncIterable"),
			).
			Observes(Got(true), Got(true), Got(false), Got(false), Got(false)),
		// Found by differential search on MicroPython, which has no
		// collections.abc: this spec needs no async generator, so an
		// implementation without them still runs it.
		spec("a class with __aiter__ alone is an AsyncIterable but no AsyncIterator; with __anext__ too it is both").
			Sync().
			Module(
				Class("OnlyAiter", Def("__aiter__", Return(Self()))),
				Class("Both",
					Def("__aiter__", Return(Self())),
					AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))),
				),
			).
			Main(
				isinstance(Call("OnlyAiter"), "AsyncIterable"),
				isinstance(Call("OnlyAiter"), "AsyncIterator"),
				isinstance(Call("Both"), "AsyncIterable"),
				isinstance(Call("Both"), "AsyncIterator"),
			).
			Observes(Got(true), Got(false), Got(true), Got(true)),
	)
})
