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

	behaviour("N15", "`__anext__` is looked up on the type: one set on the instance only is ignored by `async for`",
		spec("async for calls the class's __anext__, not the one stored on the instance").
			Module(Class("It",
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__", Emit("class __anext__"), Raise(Var("StopAsyncIteration"))),
			)).
			Main(
				Let("it", Call("It")),
				SetAttr(Var("it"), "__anext__", Lambda(Var("it"))),
				AsyncFor("x", Var("it"), Observe(Var("x"))),
				Emit("after"),
			).
			Observes(Event("class __anext__"), Event("after")),
		spec("an __anext__ set on the instance only does not count: async for rejects what __aiter__ returned").
			Module(Class("It", Def("__aiter__", Return(Self())))).
			Main(
				Let("it", Call("It")),
				SetAttr(Var("it"), "__anext__", Lambda(Var("it"))),
				AsyncFor("x", Var("it"), Observe(Var("x"))),
			).
			Observes(Raises("TypeError", "'async for' received an object from __aiter__ that does not implement __anext__: It")),
	)
})
