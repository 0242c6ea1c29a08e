package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family L that CPython's own tests check
// (docs/cpython-tests-coverage.md).
var _ = family("L", func() {
	caps := []Capability{CapAsyncGenerators, CapAsyncGenMethods}
	step := Do(Await(ANext(Var("it"))))
	aclose := Observe(Await(Method(Var("it"), "aclose")))

	behaviour("L15", "aclose(): a finally that awaits and then yields makes aclose() raise RuntimeError; resuming the generator afterwards lets the GeneratorExit out",
		spec("a finally that awaits and then yields during aclose() makes aclose() raise RuntimeError; resuming the generator then lets the GeneratorExit out").
			Needs(caps...).
			Module(AsyncDef("gen", Try(Yield(Lit(1)), Emit("not reached")).
				WithFinally(Do(Await(Sleep(0))), Emit("finally awaited"), Yield(Lit(12))))).
			Main(Let("it", Call("gen")), step, aclose, Observe(Await(ANext(Var("it"))))).
			Observes(Event("finally awaited"), Raises("RuntimeError", "async generator ignored GeneratorExit"), Raises("GeneratorExit", "")),
	)
})
