package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family O found by differential search (`aiterspec diff`).
var _ = family("O", func() {
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	fresh := AsyncDef("agen", Emit("body runs"), Yield(Lit(1)))
	closedOn313 := "3.13 closes the generator when an awaitable of it that never ran is closed (gh-117714)"

	behaviour("O11", "close() on an __anext__()/asend() awaitable that never ran leaves the generator as it was (3.13: closes the generator)",
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
	)
})
