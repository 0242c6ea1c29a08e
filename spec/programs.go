package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Definitions shared by several families, written as the seed tutorial
// writes them so that the suite runs the tutorial's own code.

// tutorialFilter is the tutorial's async generator: for i in range(n),
// yield the i with i % 2 == remainder (0: get_evens, 1: get_odds).
func tutorialFilter(name string, remainder int) Stmt {
	return AsyncDef(name,
		For("i", Call("range", Var("n")),
			If(BinOp(BinOp(Var("i"), "%", Lit(2)), "==", Lit(remainder)),
				Yield(Var("i")))),
	).WithParams("n")
}

var (
	getEvens = tutorialFilter("get_evens", 0)
	getOdds  = tutorialFilter("get_odds", 1)
)

// evensGenerator is the tutorial's class EvensGenerator(n): __aiter__
// returns self and __anext__ (async def, or a plain def when async_ is
// false, the tutorial's broken variant) returns 0, 2, 4, ... below n, then
// raises StopAsyncIteration.
func evensGenerator(async_ bool) Stmt {
	next := Def("__anext__",
		If(BinOp(Attr(Self(), "current"), ">=", Attr(Self(), "n")),
			Raise(Var("StopAsyncIteration"))),
		Let("value", Attr(Self(), "current")),
		SetAttr(Self(), "current", BinOp(Attr(Self(), "current"), "+", Lit(2))),
		Return(Var("value")),
	)
	next.Async = async_
	return Class("EvensGenerator",
		Def("__init__",
			SetAttr(Self(), "n", Var("n")),
			SetAttr(Self(), "current", Lit(0)),
		).WithParams("n"),
		Def("__aiter__", Return(Self())),
		next,
	)
}

// agen is the async generator function `name` yielding values in order.
func agen(name string, values ...any) Stmt { return AsyncDef(name, YieldEach(values...)) }

// drain is `async for x in iter: observe x`. Observations are compared
// exactly, so a loop that ends silently shows as its values and nothing
// after them.
func drain(iter *Expr) Stmt { return AsyncFor("x", iter, Observe(Var("x"))) }

// gotAll is a value observation per item.
func gotAll(items ...any) []Observation {
	obs := make([]Observation, len(items))
	for i, it := range items {
		obs[i] = Got(it)
	}
	return obs
}

// then appends observations.
func then(obs []Observation, more ...Observation) []Observation {
	return append(append([]Observation(nil), obs...), more...)
}

// repeat is n copies of s.
func repeat(n int, s Stmt) []Stmt {
	out := make([]Stmt, n)
	for i := range out {
		out[i] = s
	}
	return out
}
