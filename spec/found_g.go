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

	behaviour("G27", "the item `async for` binds is the object `__anext__`'s awaitable returned: used as a sequence, it raises the TypeError of its own type",
		spec("async for x over an iterator whose __anext__ returns None: x is None, and x[0] raises TypeError: 'NoneType' object is not subscriptable").
			Module(Class("It", Def("__aiter__", Return(Self())), AsyncDef("__anext__"))).
			Main(AsyncFor("x", Call("It"), Observe(Var("x")), Do(Subscript(Var("x"), Lit(0))))).
			Observes(Got(nil), Raises("TypeError", "'NoneType' object is not subscriptable")),
	)
})
