package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family D that CPython's own tests check
// (docs/cpython-tests-coverage.md): values sent into a suspended generator,
// and asend() steps that suspend and then fail or are cancelled.
var _ = family("D", func() {
	stopped := Raises("StopAsyncIteration", "")
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	asend := func(it string, v any) *Expr { return Await(Method(Var(it), "asend", Lit(v))) }
	// finallyAwaits is try: body finally: await asyncio.sleep(0); emit
	// "finally ran".
	finallyAwaits := func(body ...Stmt) Stmt {
		return Try(body...).WithFinally(Do(Await(Sleep(0))), Emit("finally ran"))
	}

	behaviour("D06", "asend(v) into a suspended generator makes its yield expression evaluate to v",
		spec("asend(100) into a generator suspended at v = yield 1 makes v 100").
			Needs(caps...).
			Module(AsyncDef("gen", finallyAwaits(
				Do(Await(Sleep(0))),
				Let("v", YieldValue(Lit(1))),
				Do(Await(Sleep(0))),
				Yield(BinOp(Var("v"), "*", Lit(2))),
				Do(Await(Sleep(0))),
				Return(),
			))).
			Main(
				Let("g", Call("gen")),
				Observe(asend("g", nil)),
				Observe(asend("g", 100)),
				Observe(asend("g", nil)),
			).
			Observes(Got(1), Got(200), Event("finally ran"), stopped),
	)

	behaviour("D07", "`__anext__().send(v)` sends v into a suspended generator; a non-None v to a just-started one raises TypeError and leaves it unstarted",
		spec("__anext__().send(v) into a suspended generator makes its yield evaluate to v").
			Needs(CapAsyncGenerators).
			Sync().
			Module(AsyncDef("gen",
				Let("v", YieldValue(Lit(1))),
				Emit("got", Var("v")),
				Let("v", YieldValue(Var("v"))),
				Yield(BinOp(Var("v"), "*", Lit(100))),
			)).
			Main(
				Let("g", Call("gen")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(10)),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(12)),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
			).
			Observes(stop(1), Event("got", 10), stop(10), stop(1200), stopped),
		spec("__anext__().send(100) to a just-started generator raises TypeError; the generator has not started").
			Needs(CapAsyncGenerators).
			Sync().
			Module(agen("agen", 1)).
			Main(
				Let("g", Call("agen")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(100)),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
			).
			Observes(Raises("TypeError", "can't send non-None value to a just-started async generator"), stop(1)),
	)

	behaviour("D08", "an exception raised in an asend() step after it suspended propagates from asend() after the generator's finally ran; the generator is then closed",
		spec("an exception raised in an asend() step after it suspended propagates from asend() after the awaiting finally ran; the generator is closed").
			Needs(caps...).
			Module(
				AsyncDef("crash", Do(Await(Sleep(0))), Raise(Exc("ValueError", "crash"))),
				AsyncDef("gen", finallyAwaits(
					Let("v", YieldValue(Lit(1))),
					Do(Await(Call("crash"))),
					Emit("not reached"),
					Yield(Var("v")),
				)),
			).
			Main(
				Let("g", Call("gen")),
				Observe(asend("g", nil)),
				Observe(asend("g", 100)),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got(1), Event("finally ran"), Raises("ValueError", "crash"), stopped),
	)

	behaviour("D09", "cancelling the task running a suspended asend() step raises CancelledError from asend() after the generator's finally ran",
		spec("cancelling the task running a suspended asend() step raises CancelledError from it after the awaiting finally ran; the generator is closed").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapTasks).
			Module(AsyncDef("gen", finallyAwaits(
				Let("v", YieldValue(Lit(1))),
				Do(Await(Sleep(10))),
				Yield(Lit(2)),
			))).
			Main(
				Let("g", Call("gen")),
				Observe(asend("g", nil)),
				Let("t", Call("asyncio.create_task", Method(Var("g"), "asend", Lit(5)))),
				Do(Await(Sleep(0))),
				Do(Method(Var("t"), "cancel")),
				Observe(Await(Var("t"))),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got(1), Event("finally ran"), Raises("CancelledError", ""), stopped),
	)
})
