package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family T that CPython's own tests check
// (docs/cpython-tests-coverage.md): athrow() steps that suspend.
var _ = family("T", func() {
	stopped := Raises("StopAsyncIteration", "")
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}

	behaviour("T12", "athrow() caught by a handler that awaits before yielding: the step suspends and resumes, and athrow() returns the next value",
		spec("athrow() caught by a handler that awaits before yielding: the step suspends and resumes, and athrow() returns the next value").
			Needs(caps...).
			Module(AsyncDef("gen", Try(
				Do(Await(Sleep(0))),
				Try(Let("v", YieldValue(Lit(1)))).Except("KeyError", "",
					Emit("caught"),
					Let("v", Lit(1000)),
					Do(Await(Sleep(0))),
					Emit("resumed after await"),
				),
				Yield(BinOp(Var("v"), "*", Lit(2))),
				Do(Await(Sleep(0))),
			).WithFinally(Do(Await(Sleep(0))), Emit("finally ran")))).
			Main(
				Let("g", Call("gen")),
				Observe(Await(Method(Var("g"), "asend", Lit(nil)))),
				Observe(Await(Method(Var("g"), "athrow", Var("KeyError")))),
				Observe(Await(Method(Var("g"), "asend", Lit(nil)))),
			).
			Observes(Got(1), Event("caught"), Event("resumed after await"), Got(2000), Event("finally ran"), stopped),
	)

	behaviour("T13", "cancelling the task running a suspended athrow() step raises CancelledError from athrow() after the generator's finally ran",
		spec("cancelling the task running a suspended athrow() step raises CancelledError from it after the awaiting finally ran; the generator is closed").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapTasks).
			Module(AsyncDef("gen", Try(
				Try(Yield(Lit(1))).Except("KeyError", "", Emit("caught"), Do(Await(Sleep(10)))),
				Yield(Lit(2)),
			).WithFinally(Do(Await(Sleep(0))), Emit("finally ran")))).
			Main(
				Let("g", Call("gen")),
				Observe(Await(ANext(Var("g")))),
				Let("t", Call("asyncio.create_task", Method(Var("g"), "athrow", Var("KeyError")))),
				Do(Await(Sleep(0))),
				Do(Method(Var("t"), "cancel")),
				Observe(Await(Var("t"))),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got(1), Event("caught"), Event("finally ran"), Raises("CancelledError", ""), stopped),
	)
})
