package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family G that CPython's own tests check
// (docs/cpython-tests-coverage.md): values passing through a generator
// between its awaitables and whoever drives it, and the awaitable of
// anext(it, default) driven by hand.
var _ = family("G", func() {
	stopped := Raises("StopAsyncIteration", "")

	behaviour("G17", "a value a non-asyncio awaitable yields inside the generator passes out through `__anext__()` to its driver, and what the driver sends back is the await's result",
		spec("a value a non-asyncio awaitable yields inside the generator comes out of __anext__().send(), and what is sent back is the await's result").
			Needs(CapAsyncGenerators).
			Sync().
			Module(yAwaitable, AsyncDef("gen",
				Let("r", Await(Call("Y", Lit("a")))),
				Emit("await got", Var("r")),
				Yield(Lit(1)),
				Do(Await(Call("Y", Lit("b")))),
				Yield(Lit(2)),
			)).
			Main(
				Let("g", Call("gen")),
				Let("an", Method(Var("g"), "__anext__")),
				stepBy(Var("an"), "send", Lit(nil)),
				stepBy(Var("an"), "send", Lit("resume")),
				Let("an", Method(Var("g"), "__anext__")),
				stepBy(Var("an"), "__next__"),
				stepBy(Var("an"), "__next__"),
				stepBy(Method(Var("g"), "__anext__"), "__next__"),
			).
			Observes(Got("a"), Event("await got", "resume"), stop(1), Got("b"), stop(2), stopped),
	)

	behaviour("G18", "`async for` passes what the iterator's awaitables yield out to the consumer's driver, and resumes with what it sends",
		spec("async for passes what the generator's awaitable yields out to the consumer's driver, and resumes with what it sends").
			Needs(CapAsyncGenerators).
			Sync().
			Module(yAwaitable,
				AsyncDef("gen",
					Let("r", Await(Call("Y", Lit("a")))),
					Emit("await got", Var("r")),
					Yield(Lit(1)),
					Do(Await(Call("Y", Lit("b")))),
					Yield(Lit(2)),
				),
				AsyncDef("consume", AsyncFor("v", Call("gen"), Emit("body", Var("v"))), Return(Lit("done"))),
			).
			Main(
				Let("c", Call("consume")),
				stepBy(Var("c"), "send", Lit(nil)),
				stepBy(Var("c"), "send", Lit("r1")),
				stepBy(Var("c"), "send", Lit(nil)),
			).
			Observes(Got("a"), Event("await got", "r1"), Event("body", 1), Got("b"), Event("body", 2), stop("done")),
		spec("async for passes what a class iterator's __anext__ awaits out to the consumer's driver").
			Sync().
			Module(yAwaitable,
				Class("It",
					Def("__aiter__", Return(Self())),
					AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall(
						[]Stmt{Return(Lit(1))},
						[]Stmt{Let("r", Await(Call("Y", Lit("from __anext__")))), Emit("await got", Var("r")), Return(Lit(2))},
					),
				),
				AsyncDef("consume", AsyncFor("v", Call("It"), Emit("body", Var("v"))), Return(Lit("done"))),
			).
			Main(
				Let("c", Call("consume")),
				stepBy(Var("c"), "send", Lit(nil)),
				stepBy(Var("c"), "send", Lit("sent")),
			).
			Observes(Event("body", 1), Got("from __anext__"), Event("await got", "sent"), Event("body", 2), stop("done")),
	)

	behaviour("G19", "a yield expression is None when `async for`, `anext()` or `__anext__()` resumes the generator",
		spec("a yield expression is None when async for resumes the generator").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("gen",
				Let("x", YieldValue(Lit(1))), Emit("yield gave", Var("x")),
				Let("x", YieldValue(Lit(2))), Emit("yield gave", Var("x")),
			)).
			Main(drain(Call("gen"))).
			Observes(Got(1), Event("yield gave", nil), Got(2), Event("yield gave", nil)),
		spec("a yield expression is None when anext() or __anext__() resumes the generator").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("gen",
				Let("x", YieldValue(Lit(1))), Emit("yield gave", Var("x")),
				Let("x", YieldValue(Lit(2))), Emit("yield gave", Var("x")),
				Yield(Lit(3)),
			)).
			Main(
				Let("g", Call("gen")),
				Observe(Await(ANext(Var("g")))),
				Observe(Await(ANext(Var("g")))),
				Observe(Await(Method(Var("g"), "__anext__"))),
			).
			Observes(Got(1), Event("yield gave", nil), Got(2), Event("yield gave", nil), Got(3)),
	)

	tupleGen := AsyncDef("tup", Try(Yield(TupleOf(Lit(1)))).Except("KeyError", "", Yield(TupleOf(Lit(2)))))
	stopGen := AsyncDef("stops", Try(Yield(Exc("StopIteration", "1"))).Except("KeyError", "", Yield(Call("StopIteration", Lit(3)))))
	// throwArgs throws KeyError into a fresh __anext__() of it and observes
	// the args of the StopIteration the step ends with.
	throwArgs := func(it string) Stmt {
		return Try(Do(Method(Method(Var(it), "__anext__"), "throw", Var("KeyError")))).
			Except("StopIteration", "e", Observe(Attr(Var("e"), "args")))
	}
	behaviour("G20", "a yielded tuple or StopIteration instance comes out unchanged: awaited, as the one argument of the StopIteration a throw() ends with, and from athrow()",
		spec("a yielded tuple is the awaited value, and the one argument of the StopIteration a throw() into __anext__() ends with").
			Needs(CapAsyncGenerators).
			Module(tupleGen).
			Main(
				Let("it", Call("tup")),
				Observe(Await(Method(Var("it"), "__anext__"))),
				throwArgs("it"),
				Observe(Await(Method(Var("it"), "__anext__"))),
			).
			Observes(Got(VTuple(1)), Got(VTuple(VTuple(2))), stopped),
		spec("a yielded StopIteration instance is the awaited value, and the argument of the StopIteration a throw() ends with").
			Needs(CapAsyncGenerators).
			Module(stopGen).
			Main(
				Let("it", Call("stops")),
				Let("v", Await(Method(Var("it"), "__anext__"))),
				Observe(Var("v")),
				Observe(Attr(Var("v"), "value")),
				throwArgs("it"),
				Observe(Await(Method(Var("it"), "__anext__"))),
			).
			Observes(Got(VException("StopIteration", "1")), Got("1"), Got(VTuple(VException("StopIteration", "3"))), stopped),
		spec("athrow() returns a yielded tuple or StopIteration instance unchanged").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(tupleGen, stopGen).
			Main(
				Let("g", Call("tup")),
				Observe(Await(Method(Var("g"), "asend", Lit(nil)))),
				Observe(Await(Method(Var("g"), "athrow", Var("KeyError")))),
				Observe(Await(Method(Var("g"), "asend", Lit(nil)))),
				Let("s", Call("stops")),
				Do(Await(Method(Var("s"), "asend", Lit(nil)))),
				Let("v", Await(Method(Var("s"), "athrow", Var("KeyError")))),
				Observe(Var("v")),
				Observe(Attr(Var("v"), "value")),
			).
			Observes(Got(VTuple(1)), Got(VTuple(2)), stopped, Got(VException("StopIteration", "3")), Got(3)),
	)

	behaviour("G21", "an async generator's `__name__` and `__qualname__` come from its function and can be rebound (to a str only); `ag_await`, `ag_running` and `ag_code` before the first step; aclose() gives an awaitable",
		spec("__name__ and __qualname__ come from the function and can be rebound, to a str only; aclose() gives an awaitable").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Sync().
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Observe(TupleOf(Attr(Var("g"), "__name__"), Attr(Var("g"), "__qualname__"))),
				SetAttr(Var("g"), "__name__", Lit("renamed")),
				SetAttr(Var("g"), "__qualname__", Lit("Q.renamed")),
				Observe(TupleOf(Attr(Var("g"), "__name__"), Attr(Var("g"), "__qualname__"), Attr(Var("agen"), "__name__"))),
				SetAttr(Var("g"), "__name__", Lit(5)),
				Observe(Call("isinstance", Method(Var("g"), "aclose"), Var("collections.abc.Awaitable"))),
			).
			Observes(Got(VTuple("agen", "agen")), Got(VTuple("renamed", "Q.renamed", "agen")),
				Raises("TypeError", "__name__ must be set to a string object"), Got(true)),
		spec("before the first step, ag_await is None, ag_running False and ag_code the function's code").
			Needs(CapAsyncGenerators, CapIntrospection).
			Sync().
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				Observe(Attr(Var("g"), "ag_await")),
				Observe(Attr(Var("g"), "ag_running")),
				Observe(Is(Attr(Var("g"), "ag_code"), Attr(Var("agen"), "__code__"))),
			).
			Observes(Got(nil), Got(false), Got(true)),
	)

	// agenfn awaits Y(1); if a ValueError is thrown in there, it awaits
	// Y(2); then it returns without yielding.
	agenfn := AsyncDef("agenfn",
		Try(Do(Await(Call("Y", Lit(1))))).Except("ValueError", "", Do(Await(Call("Y", Lit(2))))),
		Return(),
		Yield(),
	)
	// counter is a class iterator giving 1 then 2.
	counter := Class("It",
		Def("__aiter__", Return(Self())),
		AsyncDef("__anext__", Raise(Var("StopAsyncIteration"))).PerCall([]Stmt{Return(Lit(1))}, []Stmt{Return(Lit(2))}),
	)
	// genAwaitable is class GenAw(v): an awaitable whose __await__ is a
	// plain generator (as a types.coroutine function's is) that returns v
	// at once, or raises StopAsyncIteration for v None. genIter's plain
	// def __anext__ returns GenAw(1), GenAw(2), then GenAw(None).
	genAwaitable := Class("GenAw",
		Def("__init__", SetAttr(Self(), "v", Var("v"))).WithParams("v"),
		Def("__await__", If(Is(Attr(Self(), "v"), Lit(nil)), Raise(Var("StopAsyncIteration"))), Return(Attr(Self(), "v"))).AsGenerator(),
	)
	genIter := Class("GenIt",
		Def("__aiter__", Return(Self())),
		Def("__anext__", Return(Call("GenAw", Lit(nil)))).PerCall(
			[]Stmt{Return(Call("GenAw", Lit(1)))}, []Stmt{Return(Call("GenAw", Lit(2)))}),
	)
	// byHand is anext(it, 'default').__await__(), the iterator a driver steps.
	byHand := func(it *Expr) *Expr { return Method(ANext(it, Lit("default")), "__await__") }
	caps := []Capability{CapAsyncGenerators, CapANextBuiltin}

	behaviour("G22", "send(None) into the awaitable of `anext(it, default)` by hand: values the iterator's awaitables yield come out; an item ends the step with StopIteration(item), the end with StopIteration(default)",
		spec("send(None) steps it: a value the generator's awaitable yields comes out, and the generator's end gives StopIteration(default)").
			Needs(caps...).
			Sync().
			Module(yAwaitable, agenfn).
			Main(
				Let("aw", byHand(Call("agenfn"))),
				stepBy(Var("aw"), "send", Lit(nil)),
				stepBy(Var("aw"), "send", Lit(nil)),
			).
			Observes(Got(1), stop("default")),
		spec("send(None) on a fresh one gives StopIteration carrying the first value, for a generator and for a class iterator").
			Needs(caps...).
			Sync().
			Module(agen("agen", 1, 2), counter).
			Main(
				stepBy(byHand(Call("agen")), "send", Lit(nil)),
				stepBy(byHand(Call("It")), "send", Lit(nil)),
			).
			Observes(stop(1), stop(1)),
		spec("send(None) steps it when __anext__ returns an awaitable whose __await__ is a plain generator, not a coroutine").
			Needs(caps...).
			Sync().
			Module(genAwaitable, genIter).
			Main(
				Let("g", Call("GenIt")),
				stepBy(byHand(Var("g")), "send", Lit(nil)),
				stepBy(byHand(Var("g")), "send", Lit(nil)),
				stepBy(byHand(Var("g")), "send", Lit(nil)),
			).
			Observes(stop(1), stop(2), stop("default")),
	)

	behaviour("G23", "throw() into the awaitable of `anext(it, default)` by hand reaches the generator where it awaits: handled, the step goes on; unhandled, or thrown before the first step, it propagates",
		spec("throw() reaches the generator where it awaits; handled, the step goes on, and the generator's return gives StopIteration(default)").
			Needs(caps...).
			Sync().
			Module(yAwaitable, agenfn).
			Main(
				Let("aw", byHand(Call("agenfn"))),
				stepBy(Var("aw"), "send", Lit(nil)),
				stepBy(Var("aw"), "throw", Exc("ValueError", "v")),
				stepBy(Var("aw"), "send", Lit(nil)),
			).
			Observes(Got(1), Got(2), stop("default")),
		spec("throw() the generator does not handle propagates out of the step").
			Needs(caps...).
			Sync().
			Module(yAwaitable, agenfn).
			Main(
				Let("aw", byHand(Call("agenfn"))),
				stepBy(Var("aw"), "send", Lit(nil)),
				stepBy(Var("aw"), "throw", Exc("ValueError", "v1")),
				stepBy(Var("aw"), "throw", Exc("ValueError", "v2")),
			).
			Observes(Got(1), Got(2), Raises("ValueError", "v2")),
		spec("throw() before the first step raises at once and closes the generator; a class iterator is not affected").
			Needs(caps...).
			Sync().
			Module(agen("agen", 1, 2), counter).
			Main(
				Let("g", Call("agen")),
				stepBy(ANext(Var("g"), Lit("default")), "throw", Exc("KeyError", "k")),
				stepBy(byHand(Var("g")), "send", Lit(nil)),
				Let("c", Call("It")),
				stepBy(ANext(Var("c"), Lit("default")), "throw", Exc("KeyError", "k")),
				stepBy(byHand(Var("c")), "send", Lit(nil)),
			).
			Observes(Raises("KeyError", "'k'"), stop("default"), Raises("KeyError", "'k'"), stop(1)),
		spec("throw() before the first step when __anext__ returns an awaitable whose __await__ is a plain generator raises at once; that awaitable is dropped").
			Needs(caps...).
			Sync().
			Module(genAwaitable, genIter).
			Main(
				Let("g", Call("GenIt")),
				stepBy(ANext(Var("g"), Lit("default")), "throw", Exc("KeyError", "k")),
				stepBy(byHand(Var("g")), "send", Lit(nil)),
			).
			Observes(Raises("KeyError", "'k'"), stop(2)),
	)

	behaviour("G24", "close() on the awaitable of `anext(it, default)`, then send(): RuntimeError cannot reuse already awaited `__anext__()`/asend()",
		spec("after close(), send() raises RuntimeError: cannot reuse already awaited __anext__()/asend()").
			Needs(caps...).
			Sync().
			Module(yAwaitable, agenfn).
			Main(
				Let("aw", byHand(Call("agenfn"))),
				stepBy(Var("aw"), "send", Lit(nil)),
				Observe(Method(Var("aw"), "close")),
				stepBy(Var("aw"), "send", Lit(nil)),
			).
			Observes(Got(1), Got(nil), Raises("RuntimeError", "cannot reuse already awaited __anext__()/asend()")),
	)
})

// Tuple targets (test_coroutines' test_for_1).
var _ = family("G", func() {
	pairs := AsyncDef("pairs", YieldEach(VTuple(1, "a"), VTuple(2, "b")))
	behaviour("G25", "`async for` and async comprehensions unpack each item into a tuple target; an item that cannot be unpacked raises from the loop",
		spec("async for a, b over pairs, and [b for a, b in ...] with async for").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(pairs).
			Main(
				AsyncFor("", Call("pairs"), Observe(Var("b")), Observe(Var("a"))).Into(Unpack("a", "b")),
				Observe(Comprehension(ListForm, Var("b"), AsyncClause("", Call("pairs")).Into(Unpack("a", "b")))),
			).
			Observes(Got("a"), Got(1), Got("b"), Got(2), Got(VList("a", "b"))),
		spec("an int item raises TypeError: cannot unpack non-iterable int object, after the items before it").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("gen", Yield(Lit(VTuple(1, 2))), Yield(Lit(5)))).
			Main(AsyncFor("", Call("gen"), Observe(Var("a"))).Into(Unpack("a", "b"))).
			Observes(Got(1), Raises("TypeError", "cannot unpack non-iterable int object")),
		// Found by differential search: with a class-based iterator, so
		// that implementations without async generators run it too.
		spec("async for k, v over a class iterator whose items are (1,), (1, 2, 3) and 5: not enough values, too many values, cannot unpack non-iterable int object").
			Module(Class("Items",
				Def("__init__", SetAttr(Self(), "item", Var("item"))).WithParams("item"),
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__", Return(Attr(Self(), "item"))),
			)).
			Main(
				AsyncFor("", Call("Items", Lit(VTuple(1))), Observe(Var("k"))).Into(Unpack("k", "v")),
				AsyncFor("", Call("Items", Lit(VTuple(1, 2, 3))), Observe(Var("k"))).Into(Unpack("k", "v")),
				AsyncFor("", Call("Items", Lit(5)), Observe(Var("k"))).Into(Unpack("k", "v")),
			).
			Observes(
				Raises("ValueError", "not enough values to unpack (expected 2, got 1)"),
				Raises("ValueError", "too many values to unpack (expected 2)"),
				Raises("TypeError", "cannot unpack non-iterable int object"),
			).
			Since(">= 3.14", "3.14 says how many values there were (seen on CPython 3.14.2 in Pyodide)",
				Raises("ValueError", "not enough values to unpack (expected 2, got 1)"),
				Raises("ValueError", "too many values to unpack (expected 2, got 3)"),
				Raises("TypeError", "cannot unpack non-iterable int object"),
			),
	)
})
