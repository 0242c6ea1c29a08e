package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group T: athrow().
var _ = family("T", func() {
	stopped := Raises("StopAsyncIteration", "")
	athrow := func(it string, args ...*Expr) *Expr { return Await(Method(Var(it), "athrow", args...)) }
	step := func(it string) *Expr { return Await(ANext(Var(it))) }
	// started is `it = agen(); await anext(it)`: a generator suspended at
	// its first yield.
	started := func() []Stmt {
		return []Stmt{Let("it", Call("agen")), Do(step("it"))}
	}
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}

	// athrow() into a suspended generator
	behaviour("T01", "athrow() on a suspended generator, not caught: exception propagates; generator is closed",
		spec("an exception thrown in and not caught propagates from athrow(); the generator is then closed").
			Needs(caps...).
			Module(agen("agen", 1, 2)).
			Main(append(started(),
				Observe(athrow("it", Exc("ValueError", "v"))),
				Observe(step("it")))...).
			Observes(Raises("ValueError", "v"), stopped),
	)

	behaviour("T02", "athrow() caught by the generator, which yields: athrow returns the next yielded value",
		spec("an exception caught by the generator, which yields, makes athrow() return the yielded value").
			Needs(caps...).
			Module(AsyncDef("g",
				Try(Yield(Lit(1))).Except("ValueError", "", Yield(Lit("handled"))),
				Yield(Lit("after")),
			)).
			Main(
				Let("it", Call("g")),
				Do(step("it")),
				Observe(athrow("it", Var("ValueError"))),
				Observe(step("it")),
			).
			Observes(Got("handled"), Got("after")),
	)

	behaviour("T03", "athrow() caught by the generator, which then returns: athrow raises StopAsyncIteration",
		spec("an exception caught by the generator, which returns, makes athrow() raise StopAsyncIteration").
			Needs(caps...).
			Module(AsyncDef("g", Try(Yield(Lit(1))).Except("ValueError", "", Return()))).
			Main(Let("it", Call("g")), Do(step("it")), Observe(athrow("it", Var("ValueError")))).
			Observes(stopped),
	)

	behaviour("T06", "athrow() with an exception class (not instance) is instantiated",
		spec("athrow() with an exception class raises an instance of it").
			Needs(caps...).
			Module(agen("agen", 1)).
			Main(append(started(), Observe(athrow("it", Var("KeyError"))))...).
			Observes(Raises("KeyError", "")),
	)

	behaviour("T08", "athrow(StopAsyncIteration) into a suspended generator",
		spec("athrow(StopAsyncIteration) that escapes the generator becomes RuntimeError, caused by it").
			Needs(caps...).
			Module(agen("agen", 1, 2)).
			Main(append(started(), Observe(athrow("it", Var("StopAsyncIteration"))))...).
			Observes(Raises("RuntimeError", "async generator raised StopAsyncIteration").CausedBy("StopAsyncIteration", "")),
	)

	behaviour("T09", "athrow(GeneratorExit) into a suspended generator: unlike aclose(), the GeneratorExit is re-raised to the caller",
		spec("athrow(GeneratorExit) is re-raised to the caller, unlike aclose(); the generator is then closed").
			Needs(caps...).
			Module(agen("agen", 1, 2)).
			Main(append(started(), Observe(athrow("it", Var("GeneratorExit"))), Observe(step("it")))...).
			Observes(Raises("GeneratorExit", ""), stopped),
	)

	// athrow() into a generator that is not suspended at a yield
	behaviour("T04", "athrow() on a never-started generator: raised without running the body",
		spec("athrow() on a never-started generator raises the exception without running the body, and closes it").
			Needs(caps...).
			Module(AsyncDef("g", Emit("body ran"), Yield(Lit(1)))).
			Main(
				Let("it", Call("g")),
				Observe(athrow("it", Exc("ValueError", "early"))),
				Observe(step("it")),
			).
			Observes(Raises("ValueError", "early"), stopped),
	)

	behaviour("T11", "athrow() on an exhausted/closed generator vs throw() on an exhausted sync generator",
		spec("athrow() on an exhausted or closed async generator returns None, while throw() on an exhausted generator raises").
			Needs(caps...).
			Module(agen("agen"), agen("agen1", 1), Def("sg", Yield(Lit(1)))).
			Main(
				Let("it", Call("agen")),
				drain(Var("it")),
				Observe(athrow("it", Exc("ValueError", "x"))),
				Let("c", Call("agen1")),
				Do(step("c")),
				Do(Await(Method(Var("c"), "aclose"))),
				Observe(athrow("c", Exc("ValueError", "y"))),
				Let("s", Call("sg")),
				Do(Call("list", Var("s"))),
				Observe(Method(Var("s"), "throw", Exc("ValueError", "x"))),
			).
			Observes(Got(nil), Got(nil), Raises("ValueError", "x")),
	)

	notException := Raises("TypeError", "exceptions must be classes or instances deriving from BaseException, not int")
	// what athrow() accepts
	behaviour("T07", "athrow() with a non-exception: creating the awaitable succeeds, awaiting it raises",
		spec("athrow() with a non-exception returns an awaitable; awaiting it raises TypeError").
			Needs(caps...).
			Module(agen("agen", 1)).
			Main(append(started(),
				Do(Method(Var("it"), "athrow", Lit(5))),
				Emit("athrow(5) created"),
				Observe(athrow("it", Lit(5))),
				Do(Method(Var("it"), "athrow", Lit("x"))),
				Emit("athrow('x') created"))...).
			Observes(Event("athrow(5) created"), notException, Event("athrow('x') created")),
		spec("athrow() with a non-exception returns CPython's async_generator_athrow object").
			Needs(CapAsyncGenerators, CapAsyncGenMethods, CapIntrospection).
			AsDetail().
			Module(agen("agen", 1)).
			Main(append(started(),
				Observe(TypeName(Method(Var("it"), "athrow", Lit(5)))),
				Observe(TypeName(Method(Var("it"), "athrow", Lit("x")))))...).
			Observes(Got("async_generator_athrow"), Got("async_generator_athrow")),
	)

	behaviour("T10", "3-argument athrow(type, value, tb) is accepted in 3.11 (no DeprecationWarning yet)",
		spec("athrow(type, value, traceback) throws the value").
			Needs(caps...).
			Module(agen("agen", 1)).
			Main(append(started(), Observe(athrow("it", Var("ValueError"), Exc("ValueError", "v3"), Lit(nil))))...).
			Observes(Raises("ValueError", "v3")),
		spec("athrow(type, value, traceback) issues no DeprecationWarning").
			Needs(caps...).
			AsDetail().
			Report(ReportWarnings).
			Module(agen("agen", 1)).
			Main(append(started(), Observe(athrow("it", Var("ValueError"), Exc("ValueError", "v3"), Lit(nil))))...).
			Observes(Raises("ValueError", "v3")).
			Since(">= 3.12", "Python 3.12 deprecates the (type, exc, tb) signature of athrow() (gh-96348)",
				Event("warning", "DeprecationWarning: the (type, exc, tb) signature of athrow() is deprecated, use the single-arg signature instead."),
				Raises("ValueError", "v3")),
	)
})
