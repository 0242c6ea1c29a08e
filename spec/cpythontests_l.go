package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family L that CPython's own tests check
// (docs/cpython-tests-coverage.md).
var _ = family("L", func() {
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	step := Do(Await(ANext(Var("it"))))
	aclose := Observe(Await(Method(Var("it"), "aclose")))

	behaviour("L15", "aclose(): a finally that awaits and then yields makes aclose() raise RuntimeError; resuming the generator afterwards lets the GeneratorExit out",
		spec("a finally that awaits and then yields during aclose() makes aclose() raise RuntimeError; resuming the generator then lets the GeneratorExit out").
			Needs(caps...).
			Module(AsyncDef("gen", Try(Yield(Lit(1)), Emit("not reached")).
				WithFinally(Do(Await(Sleep(0))), Emit("finally awaited"), Yield(Lit(12))))).
			Main(Let("it", Call("gen")), step, aclose, Observe(Await(ANext(Var("it"))))).
			Observes(Event("finally awaited"), Raises("RuntimeError", "async generator ignored GeneratorExit"), Raises("GeneratorExit", "")),
	)

	// What asyncio.run does with an exception a generator's finally
	// raises while it closes the generator, seen through the loop's
	// exception handler (report "loop-exceptions"). failing's finally raises ValueError('in finally').
	failing := AsyncDef("failing", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(Emit("finally ran"), Raise(Exc("ValueError", "in finally"))))
	// stepAfter steps it by hand once asyncio.run has returned: a closed
	// generator raises StopAsyncIteration.
	stepAfter := func(it string) Stmt { return stepBy(Method(Var(it), "__anext__"), "send", Lit(nil)) }
	loopException := func(message string, exc Value) Observation {
		return Event("loop exception", VTuple(message, exc))
	}

	behaviour("L17", "an exception a generator's finally raises while asyncio.run closes it goes to the loop's exception handler, not out of asyncio.run",
		spec("closing a generator main left suspended: 'an error occurred during closing of asynchronous generator'").
			Needs(CapAsyncGenerators).
			AsDetail().
			Report(ReportLoopExceptions).
			Module(failing).
			Main(Let("it", Call("failing")), AsyncFor("i", Var("it"), Break()), Emit("main ends")).
			After(Emit("after asyncio.run"), stepAfter("it")).
			Observes(Event("main ends"), Event("finally ran"),
				loopException("an error occurred during closing of asynchronous generator", VException("ValueError", "in finally")),
				Event("after asyncio.run"), Raises("StopAsyncIteration", "")),
		spec("the aclose() task the loop's finalizer made for a collected generator: 'unhandled exception during asyncio.run() shutdown'").
			Needs(CapAsyncGenerators, CapDeterministicCollect).
			AsDetail().
			Report(ReportLoopExceptions).
			Module(failing).
			Main(AsyncFor("i", Call("failing"), Break()), Do(Call("gc.collect")), Emit("main ends")).
			After(Emit("after asyncio.run")).
			Observes(Event("main ends"), Event("finally ran"),
				loopException("unhandled exception during asyncio.run() shutdown", VException("ValueError", "in finally")),
				Event("after asyncio.run")),
	)
})
