package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family T found by differential search (`aiterspec diff`,
// README "Differential search"): the shrunk program of a class of
// differences, with CPython 3.11's observations.
var _ = family("T", func() {
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	// catcher yields 1; a KeyError thrown there is caught and it yields 2.
	catcher := AsyncDef("agen", Try(Yield(Lit(1))).Except("KeyError", "e", Emit("caught", Var("e")), Yield(Lit(2))), Emit("after"))
	started := []Stmt{Let("g", Call("agen")), stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil))}

	behaviour("T14", "throw() on an athrow() or aclose() awaitable throws into the generator, as a generator's throw() does",
		spec("athrow(ValueError).throw(KeyError) throws KeyError at the yield: the generator catches it and yields 2").
			Needs(caps...).
			Sync().
			Module(catcher).
			Main(append(started,
				stepBy(Method(Var("g"), "athrow", Var("ValueError")), "throw", Var("KeyError")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)))...).
			Observes(stop(1), Event("caught", VException("KeyError", "")), stop(2), Event("after"), Raises("StopAsyncIteration", "")),
		spec("aclose().throw(ValueError) raises ValueError out of the generator, which is then finished").
			Needs(caps...).
			Sync().
			Module(catcher).
			Main(append(started,
				stepBy(Method(Var("g"), "aclose"), "throw", Exc("ValueError", "v")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)))...).
			Observes(stop(1), Raises("ValueError", "v"), Raises("StopAsyncIteration", "")),
		spec("aclose().throw(KeyError), caught and followed by a yield, raises RuntimeError: the generator ignored the close").
			Needs(caps...).
			Sync().
			Module(catcher).
			Main(append(started, stepBy(Method(Var("g"), "aclose"), "throw", Var("KeyError")))...).
			Observes(stop(1), Event("caught", VException("KeyError", "")), Raises("RuntimeError", "async generator ignored GeneratorExit")),
	)

	fresh := AsyncDef("agen", Emit("body runs"), Yield(Lit(1)))
	behaviour("T15", "StopIteration or StopAsyncIteration thrown into a never-started async generator (athrow(), or throw() on an awaitable) becomes RuntimeError; from 3.12 it is raised without the conversion",
		spec("athrow(StopIteration) on a never-started generator raises RuntimeError caused by the StopIteration; the generator is finished").
			Needs(caps...).
			Module(fresh).
			Main(Let("g", Call("agen")), Observe(Await(Method(Var("g"), "athrow", Var("StopIteration")))), Observe(Await(ANext(Var("g"))))).
			Observes(Raises("RuntimeError", "async generator raised StopIteration").CausedBy("StopIteration", ""), Raises("StopAsyncIteration", "")).
			Since(">= 3.12", "from 3.12 an exception thrown into a never-started generator does not run its frame, so no PEP 479 conversion: StopIteration ends the awaitable (athrow() returns None)",
				Got(nil), Raises("StopAsyncIteration", "")),
		spec("asend(1).throw(StopAsyncIteration('boom')) on a never-started generator raises RuntimeError caused by it").
			Needs(caps...).
			Sync().
			Module(fresh).
			Main(Let("g", Call("agen")), stepBy(Method(Var("g"), "asend", Lit(1)), "throw", Exc("StopAsyncIteration", "boom"))).
			Observes(Raises("RuntimeError", "async generator raised StopAsyncIteration").CausedBy("StopAsyncIteration", "boom")).
			Since(">= 3.12", "from 3.12 the StopAsyncIteration is raised as it is",
				Raises("StopAsyncIteration", "boom")),
		spec("aclose().throw(StopIteration) on a never-started generator raises RuntimeError caused by it").
			Needs(caps...).
			Sync().
			Module(fresh).
			Main(Let("g", Call("agen")), stepBy(Method(Var("g"), "aclose"), "throw", Var("StopIteration"))).
			Observes(Raises("RuntimeError", "async generator raised StopIteration").CausedBy("StopIteration", "")).
			Since(">= 3.12", "from 3.12 the StopIteration ends the aclose() awaitable with the value None",
				stop(nil)),
	)
})
