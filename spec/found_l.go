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
})
