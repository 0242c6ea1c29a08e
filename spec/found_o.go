package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family O found by differential search (`aiterspec diff`).
var _ = family("O", func() {
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	fresh := AsyncDef("agen", Emit("body runs"), Yield(Lit(1)))
	closedOn313 := "3.13 closes the generator when an awaitable of it that never ran is closed (gh-117714)"

	behaviour("O11", "close() on an __anext__()/asend()/athrow()/aclose() awaitable that never ran, or whose step is suspended in an await, leaves the generator as it was (3.13: closes the generator)",
		spec("g.__anext__().close() returns None, and the next step runs the body").
			Needs(caps...).
			Sync().
			Module(fresh).
			Main(Let("g", Call("agen")), Observe(Method(Method(Var("g"), "__anext__"), "close")), stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil))).
			Observes(Got(nil), Event("body runs"), stop(1)).
			Since(">= 3.13", closedOn313, Got(nil), Raises("StopAsyncIteration", "")),
		spec("closing g.asend(None) while another __anext__() awaitable is pending leaves that one usable").
			Needs(caps...).
			Sync().
			Module(fresh).
			Main(Let("g", Call("agen")), Let("a", Method(Var("g"), "__anext__")), Observe(Method(Method(Var("g"), "asend", Lit(nil)), "close")),
				stepBy(Var("a"), "send", Lit(nil))).
			Observes(Got(nil), Event("body runs"), stop(1)).
			Since(">= 3.13", closedOn313, Got(nil), Raises("StopAsyncIteration", "")),
		spec("g.aclose().close() returns None, and the next step runs the body").
			Needs(caps...).
			Sync().
			Module(fresh).
			Main(Let("g", Call("agen")), Observe(Method(Method(Var("g"), "aclose"), "close")), stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil))).
			Observes(Got(nil), Event("body runs"), stop(1)).
			Since(">= 3.13", closedOn313, Got(nil), Raises("StopAsyncIteration", "")),
		spec("g.athrow(ValueError).close() returns None, and the next step runs the body").
			Needs(caps...).
			Sync().
			Module(fresh).
			Main(Let("g", Call("agen")), Observe(Method(Method(Var("g"), "athrow", Var("ValueError")), "close")), stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil))).
			Observes(Got(nil), Event("body runs"), stop(1)).
			Since(">= 3.13", closedOn313, Got(nil), Raises("StopAsyncIteration", "")),
		spec("closing a never-run __anext__() awaitable of a generator suspended at a yield leaves it there: the next step resumes it").
			Needs(caps...).
			Sync().
			Module(AsyncDef("agen", Yield(Lit(1)), Emit("resumed"), Yield(Lit(2)))).
			Main(
				Let("g", Call("agen")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
				Observe(Method(Method(Var("g"), "__anext__"), "close")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
			).
			Observes(stop(1), Got(nil), Event("resumed"), stop(2)).
			Since(">= 3.13", closedOn313, stop(1), Got(nil), Raises("StopAsyncIteration", "")),
		spec("closing the __anext__() awaitable whose step is suspended in an await leaves g running: the next step is refused, and g is closed when collected").
			Needs(append(caps, CapDeterministicCollect)...).
			Sync().
			Module(AsyncDef("agen", Try(Do(Await(Sleep(0))), Yield(Lit(1))).WithFinally(Emit("finally")))).
			Main(
				Let("g", Call("agen")),
				Let("a", Method(Var("g"), "__anext__")),
				Observe(Method(Var("a"), "send", Lit(nil))),
				Observe(Method(Var("a"), "close")),
				stepBy(Method(Var("g"), "__anext__"), "send", Lit(nil)),
				Del("a"), Del("g"), Do(Call("gc.collect")), Emit("collected"),
			).
			Observes(Got(nil), Got(nil), Raises("RuntimeError", "anext(): asynchronous generator is already running"), Event("finally"), Event("collected")).
			Since(">= 3.13", "3.13 closes the generator when an awaitable of it is closed (gh-117714), also one whose step is suspended in an await: GeneratorExit is thrown in there",
				Got(nil), Event("finally"), Got(nil), Raises("StopAsyncIteration", ""), Event("collected")),
	)
})
