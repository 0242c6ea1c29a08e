package spec

import (
	. "github.com/onsi/ginkgo/v2"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group X: cancellation, tasks, driving awaitables by hand, the
// exception hierarchy, the ABCs and introspection.
var _ = Describe("Catalogue X: miscellaneous", func() {
	stopped := Raises("StopAsyncIteration", "")

	DescribeTable("async generators and tasks", check,
		entry(New("X01", "cancelling the task awaiting anext() finalises the generator: finally runs, the task is cancelled, the generator is closed").
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
			Observes(Event("finally ran on cancel"), Raises("CancelledError", ""), stopped)),
		entry(New("X02", "anext() awaited in two different tasks steps one generator in order").
			Needs(CapAsyncGenerators, CapTasks).
			Module(agen("agen", 1, 2)).
			Main(
				Let("g", Call("agen")),
				Observe(Await(Call("asyncio.create_task", ANext(Var("g"))))),
				Observe(Await(Call("asyncio.create_task", ANext(Var("g"))))),
			).
			Observes(Got(1), Got(2))),
		entry(New("X07", "ag_await is the coroutine the generator is suspended in, and None once it has yielded").
			Needs(CapAsyncGenerators, CapTasks, CapIntrospection).
			AsDetail().
			Module(rSlow(0.01, 1)).
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
			Observes(Got("coroutine"), Got(true), Got(nil), Got(false))),
	)

	DescribeTable("driving awaitables by hand", check,
		entry(New("X03", "with no event loop, send(None) to an anext() awaitable raises StopIteration carrying the value").
			Needs(CapAsyncGenerators).
			Sync().
			Module(agen("agen", 1)).
			Main(
				Let("aw", ANext(Call("agen"))),
				Try(Do(Method(Var("aw"), "send", Lit(nil)))).
					Except("StopIteration", "e", Observe(Attr(Var("e"), "value"))),
			).
			Observes(Got(1))),
		entry(New("X04", "an __anext__ awaitable whose __await__ does a bare yield is resumed by the task and gives its value").
			Module(
				Class("Aw", Def("__await__", Yield(), Return(Lit(1)))),
				Class("C",
					Def("__aiter__", Return(Self())),
					Def("__anext__", Return(Call("Aw"))),
				),
			).
			Main(Observe(Await(ANext(Call("C"))))).
			Observes(Got(1))),
		entry(New("X10", "throw() on an unawaited anext() awaitable throws into the generator, which catches it and yields").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Try(Yield(Lit(1)), Yield(Lit(2))).
				Except("ValueError", "e", Emit("gen caught", Var("e")), Yield(Lit("recovered"))))).
			Main(
				Let("it", Call("g")),
				Do(Await(ANext(Var("it")))),
				Let("aw", ANext(Var("it"))),
				Observe(Method(Var("aw"), "throw", Exc("ValueError", "t"))),
			).
			Observes(Event("gen caught", VException("ValueError", "t")), Raises("StopIteration", "recovered"))),
	)

	DescribeTable("finally runs on normal exhaustion", check,
		entry(New("X08", "a finally around the last yield runs during the anext() that ends the generator").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("g", Try(Yield(Lit(1))).WithFinally(Emit("finally ran")))).
			Main(
				Let("it", Call("g")),
				Observe(Await(ANext(Var("it")))),
				Observe(Await(ANext(Var("it")))),
			).
			Observes(Got(1), Event("finally ran"), stopped)),
	)

	isinstance := func(x *Expr, abc string) Stmt {
		return Observe(Call("isinstance", x, Var("collections.abc."+abc)))
	}
	DescribeTable("types and ABCs", check,
		entry(New("X05", "StopAsyncIteration derives from Exception, not from StopIteration").
			Sync().
			Main(
				Observe(Comprehension(ListForm, Attr(Var("c"), "__name__"),
					SyncClause("c", Attr(Var("StopAsyncIteration"), "__mro__")))),
				Observe(Call("issubclass", Var("StopAsyncIteration"), Var("StopIteration"))),
			).
			Observes(Got(VList("StopAsyncIteration", "Exception", "BaseException", "object")), Got(false))),
		entry(New("X06", "an async generator is an AsyncGenerator; a class with __aiter__ and __anext__ is an AsyncIterator only; one with __anext__ alone is neither iterator nor iterable").
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
			Observes(Got(true), Got(true), Got(false), Got(false), Got(false))),
	)
})
