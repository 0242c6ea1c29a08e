package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family X found by differential search (`aiterspec diff`).
var _ = family("X", func() {
	behaviour("X11", "a Future cannot hold StopIteration: set_exception(StopIteration) raises TypeError (3.13: the future holds a RuntimeError caused by it)",
		spec("a future made done with StopIteration('boom'), then awaited").
			Needs(CapTasks).
			Main(Observe(Await(FutureException(Exc("StopIteration", "boom"))))).
			Observes(Raises("TypeError", "StopIteration interacts badly with generators and cannot be raised into a Future")).
			Since(">= 3.13", "3.13 stores a RuntimeError caused by the StopIteration instead of refusing it",
				Raises("RuntimeError", "StopIteration interacts badly with generators and cannot be raised into a Future").CausedBy("StopIteration", "boom")),
	)

	behaviour("X12", "a coroutine driven by hand (what a class's async def `__anext__()` returns): send(None) runs it to where it suspends or ends; throw() or close() before it started raises or returns None without running it",
		spec("send(None) gives what the coroutine's await yields (None from asyncio.sleep(0)); the next send(None) raises the exception its body raises").
			Sync().
			Module(Class("It",
				Def("__anext__", Return(Method(Self(), "step"))),
				AsyncDef("step", Do(Await(Sleep(0))), Emit("after sleep"), Raise(Exc("TypeError", "t"))),
			)).
			Main(Let("aw", Method(Call("It"), "__anext__")), Observe(Method(Var("aw"), "send", Lit(nil))), Observe(Method(Var("aw"), "send", Lit(nil)))).
			Observes(Got(nil), Event("after sleep"), Raises("TypeError", "t")),
		spec("send(None) on an async def __anext__() that raises TypeError at once raises it").
			Sync().
			Module(Class("It", AsyncDef("__anext__", Raise(Var("TypeError"))))).
			Main(Observe(Method(Method(Call("It"), "__anext__"), "send", Lit(nil)))).
			Observes(Raises("TypeError", "")),
		spec("throw(ValueError) into a coroutine that never ran raises ValueError without running the body; a send(None) after it raises RuntimeError").
			Sync().
			Module(Class("It", AsyncDef("__anext__", Emit("body runs"), Return(Lit(1))))).
			Main(
				Let("aw", Method(Call("It"), "__anext__")),
				stepBy(Var("aw"), "throw", Exc("ValueError", "v")),
				stepBy(Var("aw"), "send", Lit(nil)),
			).
			Observes(Raises("ValueError", "v"), Raises("RuntimeError", "cannot reuse already awaited coroutine")),
		spec("close() on a coroutine that never ran returns None without running the body; a send(None) after it raises RuntimeError").
			Sync().
			Module(Class("It", AsyncDef("__anext__", Emit("body runs"), Return(Lit(1))))).
			Main(
				Let("aw", Method(Call("It"), "__anext__")),
				Observe(Method(Var("aw"), "close")),
				stepBy(Var("aw"), "send", Lit(nil)),
			).
			Observes(Got(nil), Raises("RuntimeError", "cannot reuse already awaited coroutine")),
	)

	behaviour("X13", "asyncio.run(main()) returns once main has finished: the statements after it run after everything main did, and after what escaped main",
		spec("main awaits, then emits; the statement after asyncio.run emits after it").
			Main(Do(Await(Sleep(0))), Emit("main ends")).
			After(Emit("after asyncio.run")).
			Observes(Event("main ends"), Event("after asyncio.run")),
		spec("the ValueError an async generator raises out of main's anext() is observed before the statement after asyncio.run").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Module(AsyncDef("agen", Raise(Exc("ValueError", "v")), Yield())).
			Main(Observe(Await(ANext(Call("agen"))))).
			After(Emit("after asyncio.run")).
			Observes(Raises("ValueError", "v"), Event("after asyncio.run")),
	)

	// From PyPy's differential classes: PyPy's Future.__await__ is a
	// generator, which turns the StopIteration subclass raised in it into
	// RuntimeError. CPython's versions disagree among themselves.
	behaviour("X14", "a Future may hold an instance of a StopIteration subclass (set_exception refuses only StopIteration itself): awaiting it raises that exception as is (3.8, 3.9, 3.12: the await ends with its value; 3.13: the future holds a RuntimeError caused by it)",
		spec("await a future done with Stop('x'), class Stop(StopIteration)").
			Needs(CapTasks).
			Module(Class("Stop", Pass()).WithBases("StopIteration")).
			Main(Observe(Await(FutureException(Exc("Stop", "x"))))).
			Observes(Raises("Stop", "x")).
			Since("< 3.10", "before 3.10 the await takes the StopIteration subclass its future iterator raises for its end, and gives its value",
				Got("x")).
			Since(">= 3.12, < 3.13", "3.12 (3.12.1 measured) takes the StopIteration subclass for the await's end again, and gives its value",
				Got("x")).
			Since(">= 3.13", "3.13 stores a RuntimeError caused by any StopIteration instance (X11)",
				Raises("RuntimeError", "StopIteration interacts badly with generators and cannot be raised into a Future").CausedBy("Stop", "x")),
	)

	behaviour("X15", "a task's exception goes to whoever awaits the task: the loop's exception handler is not called for it while the task is referenced",
		spec("a task whose coroutine raised ValueError two sleeps ago: awaiting it raises the ValueError, and the loop's exception handler is never called").
			Needs(CapTasks).
			Report(ReportLoopExceptions).
			Module(AsyncDef("fail", Raise(Exc("ValueError", "boom")))).
			Main(
				Let("t", Call("asyncio.create_task", Call("fail"))),
				Do(Await(Sleep(0))),
				Do(Await(Sleep(0))),
				Emit("awaiting the task"),
				Observe(Await(Var("t"))),
			).
			Observes(Event("awaiting the task"), Raises("ValueError", "boom")),
	)
})
