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
		spec("g.aclose().throw(KeyError) while g is suspended in an await raises KeyError out of g").
			Needs(caps...).
			Sync().
			Module(awaits).
			Main(
				Let("g", Call("agen")),
				Let("a", Method(Var("g"), "__anext__")),
				Observe(Method(Var("a"), "send", Lit(nil))),
				stepBy(Method(Var("g"), "aclose"), "throw", Var("KeyError")),
				stepBy(Var("a"), "send", Lit(nil)),
			).
			Observes(Got(nil), Raises("KeyError", ""), Raises("StopAsyncIteration", "")).
			Since(">= 3.13", checkedOn313,
				Got(nil), Raises("RuntimeError", "aclose(): asynchronous generator is already running"), Event("resumed"), stop(1)),
	)

	usedUpOn313 := "3.13 marks an awaitable it refused as used: sending it again raises cannot reuse (seen on CPython 3.13.0 and 3.14.2)"
	running := Raises("RuntimeError", "anext(): asynchronous generator is already running")
	behaviour("R07", "an `__anext__()`/anext() awaitable refused with 'already running' is not used up: sent again, it is refused again (3.13: cannot reuse already awaited)",
		spec("a second g.__anext__() while g is suspended in an await raises already running at each send(); the first step then completes").
			Needs(caps...).
			Sync().
			Module(awaits).
			Main(
				Let("g", Call("agen")),
				Let("a", Method(Var("g"), "__anext__")),
				Observe(Method(Var("a"), "send", Lit(nil))),
				Let("b", Method(Var("g"), "__anext__")),
				stepBy(Var("b"), "send", Lit(nil)),
				stepBy(Var("b"), "send", Lit(nil)),
				stepBy(Var("a"), "send", Lit(nil)),
			).
			Observes(Got(nil), running, running, Event("resumed"), stop(1)).
			Since(">= 3.13", usedUpOn313,
				Got(nil), running, Raises("RuntimeError", "cannot reuse already awaited __anext__()/asend()"), Event("resumed"), stop(1)),
		spec("anext(g) while g is suspended in an await raises already running at each send()").
			Needs(append(caps, CapANextBuiltin)...).
			Sync().
			Module(awaits).
			Main(
				Let("g", Call("agen")),
				Observe(Method(Method(Var("g"), "__anext__"), "send", Lit(nil))),
				Let("b", ANext(Var("g"))),
				stepBy(Var("b"), "send", Lit(nil)),
				stepBy(Var("b"), "send", Lit(nil)),
			).
			Observes(Got(nil), running, running).
			Since(">= 3.13", usedUpOn313,
				Got(nil), running, Raises("RuntimeError", "cannot reuse already awaited __anext__()/asend()")),
	)

	running08 := Raises("RuntimeError", "anext(): asynchronous generator is already running")
	behaviour("R08", "athrow() without arguments is accepted; sending it raises TypeError and leaves the generator marked running: its next step raises already running, and close() on a fresh awaitable of it returns None (3.13: raises already running)",
		spec("g.athrow().send(None) raises TypeError: athrow expected at least 1 argument, got 0; then g.__anext__().close() returns None and a step of g raises already running").
			Needs(caps...).
			Sync().
			Module(AsyncDef("agen", Emit("body runs"), Yield(Lit(1)))).
			Main(
				Let("g", Call("agen")),
				stepBy(Method(Var("g"), "athrow"), "send", Lit(nil)),
				Observe(Method(Method(Var("g"), "__anext__"), "close")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
			).
			Observes(Raises("TypeError", "athrow expected at least 1 argument, got 0"), Got(nil), running08).
			Since(">= 3.13", "3.13 closes the generator when an awaitable of it is closed (gh-117714), which it may not while it is marked running (seen on CPython 3.13.0 and 3.14.2; athrow() checks its arguments only when sent, gh-117852)",
				Raises("TypeError", "athrow expected at least 1 argument, got 0"), running08, running08),
	)
})
