package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family E found by differential search (`aiterspec diff`).
var _ = family("E", func() {
	behaviour("E12", "a StopIteration the body raises after it has yielded comes out of `await g.__anext__()` as RuntimeError, caused by it",
		spec("the second await g.__anext__() of a generator that yields, then raises StopIteration('x'), raises RuntimeError caused by it").
			Needs(CapAsyncGenerators).
			Module(AsyncDef("agen", Yield(), Raise(Exc("StopIteration", "x")))).
			Main(Let("g", Call("agen")), Observe(Await(Method(Var("g"), "__anext__"))), Observe(Await(Method(Var("g"), "__anext__")))).
			Observes(Got(nil), Raises("RuntimeError", "async generator raised StopIteration").CausedBy("StopIteration", "x")),
	)
})
