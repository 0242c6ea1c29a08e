package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Programs shared by the behaviours CPython's own tests check
// (docs/cpython-tests-coverage.md, the cpythontests_*.go files).

// yAwaitable is class Y(v): an awaitable that is not asyncio's. Its
// __await__ yields v to whoever drives the coroutine awaiting it and
// returns what that driver sends back.
var yAwaitable = Class("Y",
	Def("__init__", SetAttr(Self(), "v", Var("v"))).WithParams("v"),
	Def("__await__", Return(YieldValue(Attr(Self(), "v")))),
)

// stepBy is one step of a coroutine or awaitable driven by hand,
// aw.how(args...): what it returns (a value the awaitable yields) is
// observed, the StopIteration it ends with is the event "stop" with the
// exception's value (see [stop]), and any other exception escapes the
// statement and is observed as raised.
func stepBy(aw *Expr, how string, args ...*Expr) Stmt {
	return Try(Observe(Method(aw, how, args...))).Except("StopIteration", "e", Emit("stop", Attr(Var("e"), "value")))
}

// stop is what [stepBy] observes when the step ends with StopIteration(v).
func stop(v any) Observation { return Event("stop", v) }

// asynciter is `async def asynciter(it): for x in it: yield x`.
var asynciter = AsyncDef("asynciter", For("x", Var("it"), Yield(Var("x")))).WithParams("it")

// wrap is `async def wrap(n)`: it sleeps once and returns n.
var wrap = AsyncDef("wrap", Do(Await(Sleep(0))), Return(Var("n"))).WithParams("n")

// inPlainDef compiles `def f(): <e>`.
func inPlainDef(e *Expr) *Expr { return Compile(Def("f", Do(e))) }
