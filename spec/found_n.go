package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family N found by differential search (`aiterspec diff`).
var _ = family("N", func() {
	behaviour("N14", "__anext__ returning a list or tuple iterator: awaiting it raises TypeError naming list_iterator; it has no throw() (AttributeError naming tuple_iterator)",
		spec("awaiting what a plain-def __anext__ returned, iter([]), raises object list_iterator can't be used in 'await' expression").
			AsDetail().
			Module(Class("It", Def("__anext__", Return(Method(ListOf(), "__iter__"))))).
			Main(Let("it", Call("It")), Observe(Await(Method(Var("it"), "__anext__")))).
			Observes(Raises("TypeError", "object list_iterator can't be used in 'await' expression")),
		spec("what a plain-def __anext__ returned, iter((1,)), has no throw(): AttributeError naming tuple_iterator").
			AsDetail().
			Sync().
			Module(Class("It", Def("__anext__", Return(Method(Lit(VTuple(1)), "__iter__"))))).
			Main(Let("it", Call("It")), Do(Method(Method(Var("it"), "__anext__"), "throw", Var("ValueError")))).
			Observes(Raises("AttributeError", "'tuple_iterator' object has no attribute 'throw'")),
	)
})
