package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family S found by differential search (`aiterspec diff`).
var _ = family("S", func() {
	// From PyPy's differential classes: PyPy words the TypeError
	// "'NoneType' object is not subscriptable (key 0)".
	behaviour("S21", "an exception the body of `async for` raises leaves the loop as it is, after the items before it, without the else block: here subscripting an item that is None, TypeError: 'NoneType' object is not subscriptable",
		spec("async for x over (1, 'a') then None: x[0] gives 1, then raises TypeError").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("gen", Yield(Lit(VTuple(1, "a"))), Yield(Lit(nil)), Emit("not reached"))).
			Main(
				AsyncFor("x", Call("gen"), Observe(Subscript(Var("x"), Lit(0)))).WithElse(Emit("else")),
				Emit("after the loop"),
			).
			Observes(Got(1), Raises("TypeError", "'NoneType' object is not subscriptable"), Event("after the loop")),
	)
})
