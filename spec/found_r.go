package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family R found by differential search (`aiterspec diff`).
var _ = family("R", func() {
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	// awaits is suspended in an await (asyncio.sleep(0) yields to whoever
	// drives it) before it yields 1.
	awaits := AsyncDef("agen", Do(Await(Sleep(0))), Emit("resumed"), Yield(Lit(1)))
	checkedOn313 := "3.13 checks that the generator is not running before throw() on any of its awaitables (gh-117881)"

	behaviour("R06", "throw() on a fresh athrow()/asend() awaitable of a generator suspended in an await throws into it, close() does nothing (3.13: RuntimeError, already running)",
		spec("g.athrow(KeyError).throw(ValueError) while g is suspended in an await raises ValueError out of g").
			Needs(caps...).
			Sync().
			Module(awaits).
			Main(
				Let("g", Call("agen")),
				Let("a", Method(Var("g"), "__anext__")),
				Observe(Method(Var("a"), "send", Lit(nil))),
				stepBy(Method(Var("g"), "athrow", Var("KeyError")), "throw", Var("ValueError")),
				stepBy(Var("a"), "send", Lit(nil)),
			).
			Observes(Got(nil), Raises("ValueError", ""), Raises("StopAsyncIteration", "")).
			Since(">= 3.13", checkedOn313,
				Got(nil), Raises("RuntimeError", "athrow(): asynchronous generator is already running"), Event("resumed"), stop(1)),
		spec("g.asend(None).throw(KeyError) while g is suspended in an await raises KeyError out of g").
			Needs(caps...).
			Sync().
			Module(awaits).
			Main(
				Let("g", Call("agen")),
				Let("a", Method(Var("g"), "__anext__")),
				Observe(Method(Var("a"), "send", Lit(nil))),
				stepBy(Method(Var("g"), "asend", Lit(nil)), "throw", Var("KeyError")),
				stepBy(Var("a"), "send", Lit(nil)),
			).
			Observes(Got(nil), Raises("KeyError", ""), Raises("StopAsyncIteration", "")).
			Since(">= 3.13", checkedOn313,
				Got(nil), Raises("RuntimeError", "anext(): asynchronous generator is already running"), Event("resumed"), stop(1)),
		spec("g.asend(None).close() while g is suspended in an await does nothing; the pending step then resumes g").
			Needs(caps...).
			Sync().
			Module(awaits).
			Main(
				Let("g", Call("agen")),
				Let("a", Method(Var("g"), "__anext__")),
				Observe(Method(Var("a"), "send", Lit(nil))),
				Observe(Method(Method(Var("g"), "asend", Lit(nil)), "close")),
				stepBy(Var("a"), "send", Lit(nil)),
			).
			Observes(Got(nil), Got(nil), Event("resumed"), stop(1)).
			Since(">= 3.13", "3.13 closes the generator when an awaitable of it that never ran is closed (gh-117714), which it may not while the generator runs",
				Got(nil), Raises("RuntimeError", "anext(): asynchronous generator is already running"), Event("resumed"), stop(1)),
	)
})
