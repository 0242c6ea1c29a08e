package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family E that CPython's own tests check
// (docs/cpython-tests-coverage.md): exceptions raised after a yield, thrown
// into the consumer, and yields inside finally.
var _ = family("E", func() {
	stopped := Raises("StopAsyncIteration", "")
	next := Observe(Await(ANext(Var("it"))))

	behaviour("E08", "an exception raised after a yield comes out of the step that resumes the generator (`async for` after the values before it, `__anext__()` by hand); the generator is then finished",
		spec("an exception raised after the yields ends async for after the values before it; the generator is then finished").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("gen", Yield(Lit(1)), Do(Await(Sleep(0))), Yield(Lit(2)), Raise(Exc("ValueError", "after")), Yield(Lit(3)))).
			Main(Let("it", Call("gen")), drain(Var("it")), next).
			Observes(Got(1), Got(2), Raises("ValueError", "after"), stopped),
		spec("an exception raised after a yield comes out of the __anext__() step that resumes the generator").
			Needs(CapAsyncGenerators).
			Sync().
			Module(yAwaitable, AsyncDef("gen", Do(Await(Call("Y", Lit("r")))), Yield(Lit(123)), Raise(Exc("ValueError", "after")))).
			Main(
				Let("g", Call("gen")),
				Let("an", Method(Var("g"), "__anext__")),
				stepBy(Var("an"), "__next__"),
				stepBy(Var("an"), "__next__"),
				stepBy(Method(Var("g"), "__anext__"), "__next__"),
				stepBy(Method(Var("g"), "__anext__"), "__next__"),
			).
			Observes(Got("r"), stop(123), Raises("ValueError", "after"), stopped),
	)

	behaviour("E09", "an exception thrown into the consumer while `async for` waits on the generator's await is raised inside the generator at that await",
		spec("an exception thrown into the consumer while async for waits on the generator's await is raised in the generator at that await").
			Needs(CapAsyncGenerators).
			Sync().
			Module(yAwaitable,
				AsyncDef("gen",
					Yield(Lit(123)),
					Try(Do(Await(Call("Y", Lit("t"))))).Except("ValueError", "e", Emit("gen caught", Var("e")), Raise()),
					Yield(Lit(456)),
				),
				AsyncDef("consume", AsyncFor("v", Call("gen"), Emit("body", Var("v")))),
			).
			Main(
				Let("c", Call("consume")),
				stepBy(Var("c"), "send", Lit(nil)),
				stepBy(Var("c"), "throw", Exc("ValueError", "thrown")),
				stepBy(Var("c"), "send", Lit(nil)),
			).
			Observes(Event("body", 123), Got("t"), Event("gen caught", VException("ValueError", "thrown")), Raises("ValueError", "thrown"),
				Raises("RuntimeError", "cannot reuse already awaited coroutine")),
	)

	behaviour("E10", "a `finally` that yields while an exception propagates gives its values, then the exception, as a sync generator does",
		spec("a finally that yields while an exception propagates gives its values, then the exception, as a sync generator does").
			Needs(CapAsyncGenerators).
			Module(
				AsyncDef("agen7", Try(Yield(Lit(1)), Raise(Exc("ValueError", "x"))).WithFinally(Yield(Lit(2)), Yield(Lit(3))), Yield(Lit(100))),
				Def("sgen7", Try(Yield(Lit(1)), Raise(Exc("ValueError", "x"))).WithFinally(Yield(Lit(2)), Yield(Lit(3))), Yield(Lit(100))),
			).
			Main(append(append([]Stmt{Let("it", Call("agen7"))}, repeat(5, next)...),
				append([]Stmt{Let("s", Call("sgen7"))}, repeat(5, Observe(Call("next", Var("s"))))...)...)...).
			Observes(Got(1), Got(2), Got(3), Raises("ValueError", "x"), stopped,
				Got(1), Got(2), Got(3), Raises("ValueError", "x"), Raises("StopIteration", "")),
		spec("awaits around the yields, and an exception raised in the finally after its yield, change nothing").
			Needs(CapAsyncGenerators).
			Module(
				AsyncDef("agen8", Try(Yield(Lit(1)), Do(Await(Sleep(0)))).
					WithFinally(Do(Await(Sleep(0))), Yield(Lit(2)), Raise(Exc("ValueError", "in finally")), Yield(Lit(3))), Yield(Lit(100))),
				AsyncDef("agen9", Try(Do(Await(Sleep(0))), Yield(Lit(1)), Raise(Exc("ValueError", "x"))).
					WithFinally(Yield(Lit(2)), Do(Await(Sleep(0))), Yield(Lit(3))), Yield(Lit(100))),
			).
			Main(append(append([]Stmt{Let("it", Call("agen8"))}, repeat(4, next)...),
				append([]Stmt{Let("it", Call("agen9"))}, repeat(5, next)...)...)...).
			Observes(Got(1), Got(2), Raises("ValueError", "in finally"), stopped,
				Got(1), Got(2), Got(3), Raises("ValueError", "x"), stopped),
	)
})

// A StopAsyncIteration raised while the loop target is assigned
// (test_coroutines' test_for_assign_raising_stop_async_iteration*).
var _ = family("E", func() {
	// badTarget is class BadTarget whose __setitem__ raises
	// StopAsyncIteration(42); badIterable's __iter__ raises it.
	badTarget := Class("BadTarget", Def("__setitem__", Raise(Call("StopAsyncIteration", Lit(42)))).WithParams("k", "v"))
	badIterable := Class("BadIterable", Def("__iter__", Raise(Call("StopAsyncIteration", Lit(42)))))
	intoItem := Subscript(Var("tgt"), Lit(0))
	stop42 := Raises("StopAsyncIteration", "42")
	viaGenexp := Raises("RuntimeError", "async generator raised StopAsyncIteration").CausedBy("StopAsyncIteration", "42")
	// three assigns each item of iter to target in an async for, an async
	// list comprehension and an async generator expression stepped once.
	three := func(iter *Expr, target *Expr) []Stmt {
		return []Stmt{
			AsyncFor("", iter, Emit("body ran")).Into(target),
			Observe(Comprehension(ListForm, Lit(0), AsyncClause("", iter).Into(target))),
			Let("gen", Comprehension(GenexpForm, Lit(0), AsyncClause("", iter).Into(target))),
			Observe(Await(Method(Var("gen"), "asend", Lit(nil)))),
		}
	}

	behaviour("E11", "a StopAsyncIteration raised while the item is assigned to the loop target is not a stop signal: it propagates from `async for` and an async comprehension, and becomes RuntimeError in an async generator expression",
		spec("a subscript target whose __setitem__ raises StopAsyncIteration(42)").
			Needs(CapAsyncGenerators, CapAsyncComprehensions, CapAsyncGenMethods).
			Module(badTarget, agen("source", 10)).
			Main(append([]Stmt{Let("tgt", Call("BadTarget"))}, three(Call("source"), intoItem)...)...).
			Observes(stop42, stop42, viaGenexp),
		spec("a tuple target unpacking an item whose __iter__ raises StopAsyncIteration(42)").
			Needs(CapAsyncGenerators, CapAsyncComprehensions, CapAsyncGenMethods).
			Module(badIterable, AsyncDef("badpairs", Yield(Call("BadIterable")))).
			Main(three(Call("badpairs"), Unpack("i", "j"))...).
			Observes(stop42, stop42, viaGenexp),
	)
})
