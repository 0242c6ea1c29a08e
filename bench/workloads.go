package bench

import (
	"fmt"

	. "github.com/aiterspec/aiterspec/scenario"
)

// TreeSize is the number of nodes of the tree workload's tree: a balanced
// binary tree of depth 12. pyperformance's async_generators walks 100,000
// nodes (depth 17); a smaller tree keeps one operation short enough for
// the slow implementations, and the shape (a recursive async generator
// per node, every item re-yielded by each ancestor) is the same.
const TreeSize = 4095

// ChainDepths are the k of the chain-k workloads.
var ChainDepths = []int{1, 4, 16}

// Workloads are all the benchmarks, in report order.
var Workloads = []*Workload{
	{
		ID:          "asyncgen",
		Description: "async for over an async generator",
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators},
		Module:      []Stmt{genDef, drainDef(Call("gen", Var("n")))},
		Check: []Stmt{
			AsyncFor("x", Call("gen", Lit(3)), Observe(Var("x"))),
			observeRun(5), observeRun(0),
		},
		Expect: gotAll(0, 1, 2, 4, -1),
		Result: lastItem,
	},
	{
		ID:          "class",
		Description: "async for over a class-based async iterator (async def __anext__)",
		ItemsPerOp:  1,
		Module: []Stmt{
			Class("Counter",
				Def("__init__", SetAttr(Self(), "i", Lit(0)), SetAttr(Self(), "n", Var("n"))).WithParams("n"),
				Def("__aiter__", Return(Self())),
				AsyncDef("__anext__",
					Let("i", Attr(Self(), "i")),
					If(BinOp(Var("i"), ">=", Attr(Self(), "n")), Raise(Var("StopAsyncIteration"))),
					SetAttr(Self(), "i", BinOp(Var("i"), "+", Lit(1))),
					Return(Var("i")))),
			drainDef(Call("Counter", Var("n"))),
		},
		Check: []Stmt{
			AsyncFor("x", Call("Counter", Lit(3)), Observe(Var("x"))),
			observeRun(5), observeRun(0),
		},
		Expect: gotAll(0, 1, 2, 4, -1),
		Result: lastItem,
	},
	{
		ID:          "anext",
		Description: "x = await anext(g), n times, over an async generator",
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators, CapANextBuiltin},
		Module: []Stmt{genDef,
			AsyncDef(Entry,
				Let("g", Call("gen", Var("n"))),
				Let("x", Lit(-1)),
				For("k", Call("range", Var("n")), Let("x", Await(ANext(Var("g"))))),
				Return(Var("x"))).WithParams("n"),
		},
		Check: []Stmt{
			Let("g", Call("gen", Lit(2))),
			Observe(Await(ANext(Var("g")))), Observe(Await(ANext(Var("g")))), Observe(Await(ANext(Var("g")))),
			observeRun(5), observeRun(0),
		},
		Expect: []Observation{Got(0), Got(1), Raises("StopAsyncIteration", ""), Got(4), Got(-1)},
		Result: lastItem,
	},
	{
		ID:          "comprehension",
		Description: "[x async for x in g]: an async list comprehension over an async generator",
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators, CapAsyncComprehensions},
		Module: []Stmt{genDef,
			AsyncDef(Entry,
				Let("xs", Comprehension(ListForm, Var("x"), AsyncClause("x", Call("gen", Var("n"))))),
				Return(Call("len", Var("xs")))).WithParams("n"),
		},
		Check: []Stmt{
			Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("gen", Lit(4))))),
			observeRun(5), observeRun(0),
		},
		Expect: []Observation{Got(VList(0, 1, 2, 3)), Got(5), Got(0)},
		Result: func(ops int) Value { return V(ops) },
	},
	{
		ID:          "sleep0",
		Description: "async for over an async generator that awaits asyncio.sleep(0) before each yield",
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators, CapTasks},
		Module: []Stmt{
			AsyncDef("ticker", For("i", Call("range", Var("n")),
				Do(Await(Sleep(0))),
				Yield(Var("i")))).WithParams("n"),
			AsyncDef("mark", Emit("task ran")),
			drainDef(Call("ticker", Var("n"))),
		},
		// The task runs at the first sleep(0): proof that it reaches the
		// event loop, which is what the workload costs.
		Check: []Stmt{
			Let("t", Call("asyncio.create_task", Call("mark"))),
			AsyncFor("x", Call("ticker", Lit(2)), Observe(Var("x"))),
			observeRun(5), observeRun(0),
		},
		Expect: []Observation{Event("task ran"), Got(0), Got(1), Got(4), Got(-1)},
		Result: lastItem,
	},
	chain(1),
	chain(4),
	chain(16),
	{
		ID: "tree",
		Description: fmt.Sprintf("in-order walk of a %d-node binary tree whose __aiter__ is a recursive async generator "+
			"(the shape of pyperformance's async_generators); an item is a node", TreeSize),
		ItemsPerOp: TreeSize,
		Needs:      []Capability{CapAsyncGenerators},
		Module: []Stmt{
			Class("Tree",
				Def("__init__",
					SetAttr(Self(), "left", Var("left")),
					SetAttr(Self(), "value", Var("value")),
					SetAttr(Self(), "right", Var("right"))).WithParams("left", "value", "right"),
				AsyncDef("__aiter__",
					If(Attr(Self(), "left"), AsyncFor("x", Attr(Self(), "left"), Yield(Var("x")))),
					Yield(Attr(Self(), "value")),
					If(Attr(Self(), "right"), AsyncFor("x", Attr(Self(), "right"), Yield(Var("x")))))),
			Def("tree",
				If(BinOp(Var("lo"), ">=", Var("hi")), Return(Lit(nil))),
				Let("mid", BinOp(BinOp(Var("lo"), "+", Var("hi")), "//", Lit(2))),
				Return(Call("Tree",
					Call("tree", Var("lo"), Var("mid")),
					Var("mid"),
					Call("tree", BinOp(Var("mid"), "+", Lit(1)), Var("hi"))))).WithParams("lo", "hi"),
			Let("TREE", Call("tree", Lit(0), Lit(TreeSize))),
			AsyncDef(Entry,
				Let("x", Lit(-1)),
				For("k", Call("range", Var("n")), AsyncFor("x", Var("TREE"), Pass())),
				Return(Var("x"))).WithParams("n"),
		},
		// The check walks a small tree: the reference's scenario
		// interpreter looks for unreachable objects after every statement,
		// which a 4095-node heap makes slow. The timed walk of the big
		// tree is checked by its result.
		Check: []Stmt{
			AsyncFor("x", Call("tree", Lit(0), Lit(7)), Observe(Var("x"))),
			observeRun(0),
		},
		Expect: gotAll(0, 1, 2, 3, 4, 5, 6, -1),
		Result: func(ops int) Value {
			if ops == 0 {
				return V(-1)
			}
			return V(TreeSize - 1)
		},
	},
	{
		ID:          "first-item",
		Description: "a new async generator per item: create it, take its one item and see it end (async for)",
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators},
		Module: []Stmt{
			AsyncDef("one", Yield(Var("v"))).WithParams("v"),
			AsyncDef(Entry,
				Let("x", Lit(-1)),
				For("k", Call("range", Var("n")), AsyncFor("x", Call("one", Var("k")), Pass())),
				Return(Var("x"))).WithParams("n"),
		},
		Check: []Stmt{
			AsyncFor("x", Call("one", Lit(7)), Observe(Var("x"))),
			observeRun(3), observeRun(0),
		},
		Expect: gotAll(7, 2, -1),
		Result: lastItem,
	},
	{
		ID:          "aclose",
		Description: "a new async generator per item: create it, take its first item, then aclose() it (its finally runs)",
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators, CapAsyncGenMethods},
		Module: []Stmt{
			Class("Box", Def("__init__", SetAttr(Self(), "closed", Lit(0)))),
			AsyncDef("held",
				Try(Yield(Lit(1)), Yield(Lit(2))).
					WithFinally(SetAttr(Var("box"), "closed", BinOp(Attr(Var("box"), "closed"), "+", Lit(1))))).
				WithParams("box"),
			AsyncDef(Entry,
				Let("box", Call("Box")),
				For("k", Call("range", Var("n")),
					Let("g", Call("held", Var("box"))),
					AsyncFor("x", Var("g"), Break()),
					Do(Await(Method(Var("g"), "aclose")))),
				Return(Attr(Var("box"), "closed"))).WithParams("n"),
		},
		Check: []Stmt{
			Let("box", Call("Box")),
			Let("g", Call("held", Var("box"))),
			AsyncFor("x", Var("g"), Observe(Var("x")), Break()),
			Observe(Attr(Var("box"), "closed")),
			Observe(Await(Method(Var("g"), "aclose"))),
			Observe(Attr(Var("box"), "closed")),
			observeRun(3), observeRun(0),
		},
		Expect: []Observation{Got(1), Got(0), Got(nil), Got(1), Got(3), Got(0)},
		Result: func(ops int) Value { return V(ops) },
	},
}

// genDef is `async def gen(n): for i in range(n): yield i`, the producer
// most workloads iterate over.
var genDef = AsyncDef("gen", For("i", Call("range", Var("n")), Yield(Var("i")))).WithParams("n")

// drainDef is the entry `async def run(n)` that iterates over it with a
// bare async for and returns the last item (-1 if there is none).
func drainDef(it *Expr) Stmt {
	return AsyncDef(Entry,
		Let("x", Lit(-1)),
		AsyncFor("x", it, Pass()),
		Return(Var("x"))).WithParams("n")
}

// chain is the workload of k async generators stacked on gen, each
// re-yielding every item of the one below it (k delegations per item).
func chain(k int) *Workload {
	return &Workload{
		ID:          fmt.Sprintf("chain-%d", k),
		Description: fmt.Sprintf("async for over %s stacked on a producer, each re-yielding the items of the one below", plural(k, "async generator")),
		ItemsPerOp:  1,
		Needs:       []Capability{CapAsyncGenerators},
		Module: []Stmt{genDef,
			AsyncDef("relay", AsyncFor("x", Var("inner"), Yield(Var("x")))).WithParams("inner"),
			Def("chain",
				Let("it", Call("gen", Var("n"))),
				For("k", Call("range", Lit(k)), Let("it", Call("relay", Var("it")))),
				Return(Var("it"))).WithParams("n"),
			drainDef(Call("chain", Var("n"))),
		},
		Check: []Stmt{
			AsyncFor("x", Call("chain", Lit(3)), Observe(Var("x"))),
			observeRun(5), observeRun(0),
		},
		Expect: gotAll(0, 1, 2, 4, -1),
		Result: lastItem,
	}
}

func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// observeRun observes `await run(n)`.
func observeRun(n int) Stmt { return Observe(Await(Call(Entry, Lit(n)))) }

// lastItem is the result of run(ops) that returns its last item: the items
// are 0 … ops-1, and -1 stands for none.
func lastItem(ops int) Value { return V(ops - 1) }

func gotAll(xs ...any) []Observation {
	out := make([]Observation, len(xs))
	for i, x := range xs {
		out[i] = Got(x)
	}
	return out
}
