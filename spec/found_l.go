package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family L found by differential search (`aiterspec diff`).
var _ = family("L", func() {
	behaviour("L18", "after aclose() raised \"ignored GeneratorExit\", the generator stays suspended where it yielded: aclose() again raises StopAsyncIteration, and the next step resumes it",
		spec("a GeneratorExit handler that yields: aclose() raises RuntimeError, later aclose() calls raise StopAsyncIteration, anext() resumes after the yield and runs finally").
			Needs(CapAsyncGenerators, CapAsyncGenMethods).
			Module(AsyncDef("agen", Try(
				Try(Yield(Lit(1))).Except("GeneratorExit", "", Emit("caught GeneratorExit"), Yield(Lit(2)), Emit("after the second yield")),
			).WithFinally(Emit("finally")))).
			Main(
				Let("g", Call("agen")),
				Observe(Await(ANext(Var("g")))),
				Observe(Await(Method(Var("g"), "aclose"))),
				Observe(Await(Method(Var("g"), "aclose"))),
				Observe(Await(Method(Var("g"), "aclose"))),
				Observe(Await(ANext(Var("g")))),
			).
			Observes(Got(1), Event("caught GeneratorExit"), Raises("RuntimeError", "async generator ignored GeneratorExit"),
				Raises("StopAsyncIteration", ""), Raises("StopAsyncIteration", ""),
				Event("after the second yield"), Event("finally"), Raises("StopAsyncIteration", "")),
	)

	behaviour("L20", "the exception handler main sets on the running loop gets what a generator's finally raises while asyncio.run closes it (the generator stepped by anext(), not left by break)",
		spec("a generator main stepped once with anext() and left suspended: its finally's ValueError goes to the loop's exception handler").
			Needs(CapAsyncGenerators, CapANextBuiltin).
			Report(ReportLoopExceptions).
			Module(AsyncDef("failing", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("finally ran"), Raise(Exc("ValueError", "in finally"))))).
			Main(Let("it", Call("failing")), Observe(Await(ANext(Var("it")))), Emit("main ends")).
			Observes(Got(1), Event("main ends"), Event("finally ran"),
				Event("loop exception", VTuple("an error occurred during closing of asynchronous generator", VException("ValueError", "in finally")))),
	)

	// A generator dropped while it is suspended in an await of its own (a
	// step driven by hand that has not finished): the finalizer hook's
	// aclose() task fails with "already running", and nothing retrieves
	// the task's exception.
	inAwait := AsyncDef("agen", Do(Await(Sleep(0))), Yield(Lit(1)))
	// startAndDrop starts a generator of fn by hand, into its first await,
	// and drops it.
	startAndDrop := func(fn string) []Stmt {
		return []Stmt{
			Let("g", Call(fn)),
			Observe(Method(Method(Var("g"), "__anext__"), "send", Lit(nil))),
			Let("g", Lit(nil)),
			Do(Await(Sleep(0))),
			Do(Await(Sleep(0))),
			Do(Await(Sleep(0))),
			Do(Await(Sleep(0))),
			Emit("main ends"),
		}
	}
	neverRetrieved := Event("loop exception", VTuple("Task exception was never retrieved",
		VException("RuntimeError", "aclose(): asynchronous generator is already running")))
	behaviour("L19", "the aclose() task asyncio's finalizer hook makes for a dropped generator is unheld: when it fails, the loop's exception handler gets 'Task exception was never retrieved' as soon as the task finishes, and what the generator held is released then",
		spec("a generator dropped while suspended in an await: aclose() fails with 'already running', reported as 'Task exception was never retrieved'").
			Needs(CapAsyncGenerators, CapDeterministicCollect).
			AsDetail().
			Report(ReportLoopExceptions).
			Module(inAwait).
			Main(startAndDrop("agen")...).
			After(Emit("after asyncio.run")).
			Observes(Got(nil), neverRetrieved, Event("main ends"), Event("after asyncio.run")),
		spec("freeing that task frees the generator, which drops the generator its async for was stepping, suspended in an await too: a second aclose() task fails the same way").
			Needs(CapAsyncGenerators, CapDeterministicCollect).
			AsDetail().
			Report(ReportLoopExceptions).
			Module(inAwait, AsyncDef("ogen", AsyncFor("x", Call("agen"), Yield(Var("x"))))).
			Main(startAndDrop("ogen")...).
			After(Emit("after asyncio.run")).
			Observes(Got(nil), neverRetrieved, neverRetrieved, Event("main ends"), Event("after asyncio.run")),
	)
})
