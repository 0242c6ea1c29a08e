package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family G found by differential search (`aiterspec diff`).
var _ = family("G", func() {
	behaviour("G26", "`continue` inside `async for` goes on with the next item",
		spec("continue skips the rest of the body for 2: async for observes 1 and 3, then its else runs").
			Needs(CapAsyncGenerators).
			Module(agen("agen", 1, 2, 3)).
			Main(AsyncFor("x", Call("agen"), If(BinOp(Var("x"), "==", Lit(2)), Continue()), Observe(Var("x"))).WithElse(Emit("else"))).
			Observes(Got(1), Got(3), Event("else")),
	)
})
