package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// The seed tutorial's third part: async iterators written as classes.
var _ = family("SEED", func() {
	// __aiter__ is required
	behaviour("SEED-MISSING-AITER", "an object with `__anext__` but no `__aiter__` is rejected the same way, naming its class",
		spec("a class with only __anext__ is rejected by async for, naming the class").
			Module(Class("OnlyNext", AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))))).
			Main(drain(Call("OnlyNext"))).
			Observes(requiresAiter("OnlyNext")),
		// The __anext__ methods here end after one item, so that an
		// implementation that wrongly calls them fails instead of hanging.
		spec("the tutorial's EvensGenerator without __aiter__ is rejected").
			Module(Class("EvensGenerator", AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Return(Lit(0))}))).
			Main(drain(Call("EvensGenerator"))).
			Observes(requiresAiter("EvensGenerator")),
		spec("__anext__ is never called when __aiter__ is missing").
			Module(Class("OnlyNext", AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Emit("__anext__ called"), Return(Lit(1))}))).
			Main(drain(Call("OnlyNext"))).
			Observes(requiresAiter("OnlyNext")),
		spec("__aiter__ set on the instance only does not count: lookup is on the type").
			Module(Class("Late", AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))))).
			Main(
				Let("it", Call("Late")),
				SetAttr(Var("it"), "__aiter__", Lambda(Var("it"))),
				drain(Var("it")),
			).
			Observes(requiresAiter("Late")),
	)

	// a class with __aiter__ and a coroutine __anext__ works with async for
	behaviour("SEED-CUSTOM-ITERATOR", "a class with `__aiter__` returning self and a coroutine `__anext__` works with `async for`",
		spec("EvensGenerator(20) gives 0 2 4 ... 18").
			Module(evensGenerator(true)).
			Main(drain(Call("EvensGenerator", Lit(20)))).
			Observes(gotAll(0, 2, 4, 6, 8, 10, 12, 14, 16, 18)...),
		spec("EvensGenerator(5) gives 0 2 4").
			Module(evensGenerator(true)).
			Main(drain(Call("EvensGenerator", Lit(5)))).
			Observes(gotAll(0, 2, 4)...),
		spec("EvensGenerator(0) gives nothing").
			Module(evensGenerator(true)).
			Main(drain(Call("EvensGenerator", Lit(0))), Emit("after")).
			Observes(Event("after")),
		spec("anext() steps a class-based iterator too").
			Module(evensGenerator(true)).
			Main(
				Let("it", Call("EvensGenerator", Lit(3))),
				Observe(Await(ANext(Var("it")))),
				Observe(Await(ANext(Var("it")))),
				Observe(Await(ANext(Var("it")))),
			).
			Observes(Got(0), Got(2), Raises("StopAsyncIteration", "")),
		spec("__aiter__ is called once per loop, __anext__ once per item plus once at the end").
			Module(Class("Counted",
				Def("__aiter__", Emit("__aiter__"), Return(Self())),
				AsyncDef("__anext__", Emit("__anext__"), Raise(Var("StopAsyncIteration"))).
					PerCall([]Stmt{Emit("__anext__"), Return(Lit("a"))}, []Stmt{Emit("__anext__"), Return(Lit("b"))}),
			)).
			Main(drain(Call("Counted"))).
			Observes(Event("__aiter__"), Event("__anext__"), Got("a"), Event("__anext__"), Got("b"), Event("__anext__")),
		spec("an async iterable whose __aiter__ returns a separate iterator").
			Module(evensGenerator(true), Class("Evens",
				Def("__aiter__", Return(Call("EvensGenerator", Lit(6)))))).
			Main(drain(Call("Evens"))).
			Observes(gotAll(0, 2, 4)...),
		spec("an __aiter__ returning the iterator itself draws no warning").
			Report(ReportWarnings).
			Module(evensGenerator(true)).
			Main(drain(Call("EvensGenerator", Lit(5))), AsyncFor("x", Call("EvensGenerator", Lit(3)), Pass()).WithElse(Emit("else ran"))).
			Observes(Got(0), Got(2), Got(4), Event("else ran")),
	)

	invalid := func(typeName string) Observation {
		return Raises("TypeError", "'async for' received an invalid object from __anext__: "+typeName)
	}
	// plainNext is class I whose plain def __anext__ returns result. Its
	// first call returns result, later ones raise StopAsyncIteration:
	// an implementation that wrongly accepts result ends the loop after one
	// item (a failure) instead of looping until the time limit.
	plainNext := func(result *Expr) Stmt {
		return Class("I", Def("__aiter__", Return(Self())),
			Def("__anext__", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Return(result)}))
	}
	// __anext__ must return an awaitable
	behaviour("SEED-ANEXT-NON-AWAITABLE", "`__anext__` returning a non-awaitable: `TypeError: 'async for' received an invalid object from __anext__: T`",
		spec("the tutorial's EvensGenerator with a plain def __anext__: int").
			Module(evensGenerator(false)).
			Main(drain(Call("EvensGenerator", Lit(20)))).
			Observes(invalid("int").CausedBy("TypeError", "object int can't be used in 'await' expression")),
		spec("returning None names NoneType").
			Module(plainNext(Lit(nil))).
			Main(drain(Call("I"))).
			Observes(invalid("NoneType")),
		spec("returning a str names str").
			Module(plainNext(Lit("x"))).
			Main(drain(Call("I"))).
			Observes(invalid("str")),
		spec("returning a list names list").
			Module(plainNext(Lit(VList(1)))).
			Main(drain(Call("I"))).
			Observes(invalid("list")),
		spec("returning a plain generator names generator").
			Module(Def("gen", Yield(Lit(1))), plainNext(Call("gen"))).
			Main(drain(Call("I"))).
			Observes(invalid("generator")),
		spec("the error comes on the first item: the body never runs").
			Module(plainNext(Lit(1))).
			Main(AsyncFor("x", Call("I"), Emit("body ran"))).
			Observes(invalid("int")),
		spec("a plain def __anext__ returning a coroutine is fine").
			Module(Class("P",
				Def("__aiter__", Return(Self())),
				Def("__anext__", Return(Method(Self(), "_next"))),
				AsyncDef("_next", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Return(Lit(1))}, []Stmt{Return(Lit(2))}),
			)).
			Main(drain(Call("P"))).
			Observes(gotAll(1, 2)...),
	)

	// StopAsyncIteration ends async for as StopIteration ends for
	behaviour("SEED-STOP-SIGNAL", "`StopAsyncIteration` ends `async for` after exactly k items, as `StopIteration` ends for",
		spec("raised after three items: exactly three items, no error").
			Module(stopAfter(3)).
			Main(drain(Call("Stop")), Emit("after loop")).
			Observes(Got(0), Got(1), Got(2), Event("after loop")),
		spec("raised at once: zero items, no error").
			Module(stopAfter(0)).
			Main(drain(Call("Stop")), Emit("after loop")).
			Observes(Event("after loop")),
		spec("the sync counterpart: StopIteration from __next__ ends a for loop the same way").
			Module(Class("SyncStop",
				Def("__iter__", Return(Self())),
				Def("__next__", Raise(Var("StopIteration"))).PerCall([]Stmt{Return(Lit(0))}, []Stmt{Return(Lit(1))}, []Stmt{Return(Lit(2))}),
			)).
			Main(For("x", Call("SyncStop"), Observe(Var("x"))), Emit("after loop")).
			Observes(Got(0), Got(1), Got(2), Event("after loop")),
		spec("a StopAsyncIteration instance with a payload ends the loop too").
			Module(Class("Payload",
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__", Raise(Call("StopAsyncIteration", Lit("payload")))).PerCall([]Stmt{Return(Lit(1))}),
			)).
			Main(drain(Call("Payload")), Emit("after loop")).
			Observes(Got(1), Event("after loop")),
		spec("a plain def __anext__ raising StopAsyncIteration at once ends the loop").
			Module(Class("P", Def("__aiter__", Return(Self())), Def("__anext__", Raise(Var("StopAsyncIteration"))))).
			Main(drain(Call("P")), Emit("after loop")).
			Observes(Event("after loop")),
		spec("after the loop ends, anext() on the same iterator raises StopAsyncIteration").
			Module(stopAfter(1)).
			Main(Let("it", Call("Stop")), drain(Var("it")), Observe(Await(ANext(Var("it"))))).
			Observes(Got(0), Raises("StopAsyncIteration", "")),
		spec("other exceptions from __anext__ are not a stop signal: they propagate").
			Module(Class("Boom",
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__", Raise(Exc("ValueError", "boom"))).PerCall([]Stmt{Return(Lit(0))}),
			)).
			Main(drain(Call("Boom")), Emit("after loop")).
			Observes(Got(0), Raises("ValueError", "boom"), Event("after loop")),
	)
})

// stopAfter is class Stop whose coroutine __anext__ returns 0, 1, ... k-1
// and then raises StopAsyncIteration on every call.
func stopAfter(k int) Stmt {
	calls := make([][]Stmt, k)
	for i := range calls {
		calls[i] = []Stmt{Return(Lit(i))}
	}
	return Class("Stop",
		Def("__aiter__", Return(Self())),
		AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall(calls...),
	)
}
